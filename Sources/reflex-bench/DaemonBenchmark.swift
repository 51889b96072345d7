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

        var startups: [Double] = []
        for _ in 0..<5 { startups.append(try await startupToReady()) }
        let median = startups.sorted()[startups.count / 2]
        results.append(Measurement(section: section, name: "start-up to READY=1, \(policies) policies", value: median * 1000, unit: "ms",
                                   note: "real binary, median of 5; target < 300 ms: \(median < 0.3 ? "met" : "not met")"))

        let (first, warm, last) = try await memoryOverCycles()
        results.append(Measurement(section: section, name: "RSS after \(cycles) cycles, \(policies) policies", value: last, unit: "MiB",
                                   note: "target < 64 MiB: \(last < 64 ? "met" : "not met"); \(String(format: "%.1f", first)) MiB after the first cycle"))
        results.append(Measurement(section: section, name: "RSS growth after warm-up (cycle 100 to \(cycles))", value: last - warm, unit: "MiB",
                                   note: "target < 1 MiB: \(last - warm < 1 ? "met" : "not met")"))
        return results
    }

    /// Seconds from spawning `reflex run` to its READY=1 on a notify socket.
    private func startupToReady() async throws -> Double {
        let socket = try NotifySocket()
        try? FileManager.default.removeItem(atPath: directory + "/reflex.db")
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

    /// RSS in MiB after the first cycle, after cycle 100, and after the last.
    private func memoryOverCycles() async throws -> (Double, Double, Double) {
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
        var first = 0.0, warm = 0.0
        for cycle in 1...cycles {
            await daemon.cycle()
            clock.advance(60)
            if cycle == 1 { first = ResidentMemory.mebibytes }
            if cycle == min(100, cycles) { warm = ResidentMemory.mebibytes }
        }
        return (first, warm, ResidentMemory.mebibytes)
    }
}

/// Answers every query with a steady, unremarkable series at once.
struct SteadyMetrics: MetricsSource {
    func fetch(_ queries: [MetricQuery], from start: Date, to end: Date) async -> [MetricQuery: Result<MetricSeries, MetricsFailure>] {
        var results: [MetricQuery: Result<MetricSeries, MetricsFailure>] = [:]
        for query in queries {
            let grid = PeriodGrid(period: query.period)
            var series = MetricSeries(period: query.period)
            var periodStart = grid.start(of: start)
            while periodStart < Int(end.timeIntervalSince1970) {
                series.set(1, at: periodStart)
                periodStart += query.period.seconds
            }
            results[query] = .success(series)
        }
        return results
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
    private var current = Date(timeIntervalSince1970: 1_767_225_600)
    var now: Date { lock.withLock { current } }
    func advance(_ seconds: Double) { lock.withLock { current = current.addingTimeInterval(seconds) } }
}

/// This process's resident set size.
enum ResidentMemory {
    static var mebibytes: Double {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
              let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") }),
              let kilobytes = Double(line.split(separator: " ").dropFirst().first ?? "") else { return 0 }
        return kilobytes / 1024
    }
}

struct BenchmarkError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
