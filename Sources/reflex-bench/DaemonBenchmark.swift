import Foundation
import Logging
import ReflexAudit
import ReflexCore
import ReflexRuntime
import ReflexTestSupport

/// The daemon's figures: start-up to READY=1 of the real binary with 1,000 policies, and the
/// resident memory of the evaluation loop over many cycles (in process, with a metrics source
/// that answers at once, so that only Reflex's own memory is measured).
struct DaemonBenchmark {
    let policies: Int
    let cycles: Int
    let directory: String
    let binary: String

    func run() async throws -> [Measurement] {
        let section = "daemon"
        var results: [Measurement] = []
        let policyDirectory = directory + "/policies"
        try FileManager.default.createDirectory(atPath: policyDirectory, withIntermediateDirectories: true)
        try PolicyCorpus.write(count: policies, to: policyDirectory + "/generated.yaml")
        try "region: us-east-1\npolicies: policies\ndatabase: reflex.db\npoll_interval: 1m\n"
            .write(toFile: directory + "/reflex.yaml", atomically: true, encoding: .utf8)

        // The first start creates the decision log; the daemon's usual start finds it there.
        let firstStart = try await startupToReady()
        var restarts: [Double] = []
        for _ in 0..<9 { restarts.append(try await startupToReady()) }
        let median = Stopwatch.median(restarts)
        results.append(Measurement(section: section, name: "start-up to READY=1, \(policies) policies", value: median * 1000, unit: "ms",
                                   note: String(format: "real binary, median of 9 restarts (%.0f-%.0f ms), first start %.0f ms; target < 300 ms: %@",
                                                restarts.min()! * 1000, restarts.max()! * 1000, firstStart * 1000, median < 0.3 ? "met" : "not met")))

        // The heap breathes by a megabyte from one sample to the next, so growth is the trend:
        // a least-squares line through every sample after warm-up (the first tenth of the cycles).
        let memory = try memoryOverCycles()
        let warmUp = max(1, memory.samples.count / 10)
        let settled = memory.samples.enumerated().dropFirst(warmUp).map { (x: Double(($0.offset + 1) * 100), y: $0.element) }
        let span = (settled.last?.x ?? 0) - (settled.first?.x ?? 0)
        let growth = (WindowStatistics.leastSquares(settled)?.slope ?? 0) * span
        let peak = memory.samples.max() ?? memory.first, last = memory.samples.last ?? memory.first
        results.append(Measurement(section: section, name: "RSS after \(cycles) cycles, \(policies) policies", value: last, unit: "MiB",
                                   note: String(format: "target < 64 MiB: %@; peak %.1f, %.1f after the first cycle", peak < 64 ? "met" : "not met", peak, memory.first)))
        results.append(Measurement(section: section, name: "RSS growth after warm-up", value: growth, unit: "MiB",
                                   note: String(format: "trend over cycles %.0f-%.0f, samples %.1f-%.1f MiB; target < 1 MiB: %@",
                                                settled.first?.x ?? 0, settled.last?.x ?? 0, settled.map(\.y).min() ?? 0, settled.map(\.y).max() ?? 0,
                                                growth < 1 ? "met" : "not met")))
        return results
    }

    /// Seconds from spawning `reflex run` to its READY=1 on a notify socket.
    private func startupToReady() async throws -> Double {
        let socket = try NotifySocket()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = ["run", "--config", directory + "/reflex.yaml", "--log-level", "warning"]
        process.environment = ["NOTIFY_SOCKET": socket.path, "AWS_ACCESS_KEY_ID": "bench", "AWS_SECRET_ACCESS_KEY": "bench",
                               "AWS_ENDPOINT_URL": "http://127.0.0.1:9", "AWS_EC2_METADATA_DISABLED": "true", "HOME": directory]
        process.standardError = FileHandle.nullDevice
        let startedAt = Date()
        try process.run()
        defer {
            process.terminate()
            process.waitUntilExit()
        }
        let ready = try await socket.wait(for: { $0 == "READY=1" }, timeout: 30)
        // The arrival time the socket recorded, not when this task noticed it.
        let arrived = socket.lines[ready].at.timeIntervalSince(startedAt)
        return arrived
    }

    /// The memory figures, from a process of their own: this one has grown with the other
    /// benchmarks, and the heap does not give memory back.
    private func memoryOverCycles() throws -> MemoryRun {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: CommandLine.arguments[0])
        process.arguments = [MemoryRun.flag, String(policies), String(cycles), directory]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw BenchmarkError("the memory run failed (status \(process.terminationStatus))") }
        return try JSONDecoder().decode(MemoryRun.self, from: data)
    }
}

/// Resident memory of the evaluation loop: after the first cycle, and every 100 cycles.
struct MemoryRun: Codable {
    /// The argument that makes reflex-bench do only this, and print it as JSON.
    static let flag = "--memory-run"

    let first: Double
    let samples: [Double]

    /// Runs `cycles` cycles of `policies` policies in this process, in MiB.
    static func measure(policies: Int, cycles: Int, directory: String) async throws -> MemoryRun {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let store = try DecisionStore(path: directory + "/cycles.db")
        let definitions = try PolicyCorpus.policies(count: policies)
        let clock = ManualClock()
        let logger = Logger(label: "bench", factory: { _ in SwiftLogNoOpLogHandler() })
        let pipeline = ActionPipeline(ledger: store, actuator: IdleActuator(), notifier: LogNotifier(logger: logger),
                                      settings: ActionPipelineSettings(), now: { clock.now })
        let daemon = Daemon(
            policySet: PolicySetVersion(policies: definitions, hashes: [:]), pollInterval: .minutes(1), metrics: SteadyMetrics(),
            pipeline: pipeline, ledger: store, records: store, notifier: LogNotifier(logger: logger), manager: SilentManager(),
            logger: logger, safeModeDefault: false, loadPolicies: { throw BenchmarkError("no reload") }, now: { clock.now })
        var first = 0.0, samples: [Double] = []
        for cycle in 1...cycles {
            await daemon.cycle()
            clock.advance(60)
            if cycle == 1 { first = ProcessMemory.mebibytes("VmRSS") }
            if cycle.isMultiple(of: 100) { samples.append(ProcessMemory.mebibytes("VmRSS")) }
        }
        return MemoryRun(first: first, samples: samples)
    }
}

/// An actuator for policies that never fire.
struct IdleActuator: Actuator {
    func read(_ target: Target) async throws -> TargetState { TargetState(snapshot: TargetSnapshot()) }
    func apply(_ change: PlannedChange, to target: Target, current: TargetState) async throws -> String? { nil }
}

struct SilentManager: ServiceManager {
    func send(_ lines: String...) {}
    var watchdogInterval: Duration? { nil }
    var monotonicMicroseconds: UInt64 { 0 }
}

final class ManualClock: @unchecked Sendable {
    private let lock = NSLock()
    private var current: Date
    init(start: Date = Date(timeIntervalSince1970: 1_767_225_600)) { current = start }
    var now: Date { lock.withLock { current } }
    func advance(_ seconds: Double) { lock.withLock { current = current.addingTimeInterval(seconds) } }
}

struct BenchmarkError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
