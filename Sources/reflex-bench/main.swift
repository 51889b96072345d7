// reflex-bench: measures Reflex and prints a table of figures (and, with --json FILE, a JSON
// report). `scripts/bench` builds it in release, installs the peers in their own virtualenvs
// and runs it; by hand: `swift run -c release reflex-bench [--quick] [--json FILE]
// [--custodian PATH] [--aws PATH]` (it times the `reflex` binary built beside it).
import Foundation
import ReflexTestSupport

let arguments = Array(CommandLine.arguments.dropFirst())
func option(_ name: String) -> String? {
    arguments.firstIndex(of: name).flatMap { $0 + 1 < arguments.count ? arguments[$0 + 1] : nil }
}
// The daemon benchmark measures memory in a fresh process: this program, started again.
if arguments.first == MemoryRun.flag, arguments.count == 4, let policies = Int(arguments[1]), let cycles = Int(arguments[2]) {
    let run = try await MemoryRun.measure(policies: policies, cycles: cycles, directory: arguments[3])
    print(String(decoding: try JSONEncoder().encode(run), as: UTF8.self))
    exit(0)
}

// So do the fleet cycles at scale.
if arguments.first == FleetCycleRun.flag {
    guard let run = try await FleetCycleRun.main(arguments) else { throw BenchmarkError("usage: \(FleetCycleRun.flag) TABLES SOURCE FIRING_EVERY NOW DIRECTORY STEADY_CYCLES guarded|unguarded") }
    print(String(decoding: try JSONEncoder().encode(run), as: UTF8.self))
    exit(0)
}

let quick = arguments.contains("--quick")
/// `--only evaluation,cycle,peers,fleet,daemon,cost,failover,log` runs some sections.
let sections = option("--only").map { Set($0.split(separator: ",").map(String.init)) }
func wanted(_ section: String) -> Bool { sections?.contains(section) ?? true }

let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("reflex-bench-\(ProcessInfo.processInfo.processIdentifier)").path
try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
defer { try? FileManager.default.removeItem(atPath: scratch) }

let binary = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("reflex").path

var measurements: [Measurement] = []
if wanted("daemon") {
    measurements += try await DaemonBenchmark(policies: 1_000, cycles: quick ? 1_000 : 10_000, directory: scratch + "/daemon", binary: binary).run()
}
if wanted("cost") {
    measurements += try await CostBenchmark(policies: 1_000, hours: quick ? 1 : 3, pollSeconds: 10, directory: scratch + "/cost").run()
}
if wanted("evaluation") {
    measurements += try EvaluationBenchmark(policies: 10_000).run()
}
if wanted("cycle") {
    let emulator = try AWSEmulator.start()
    measurements += try await EmulatorCycleBenchmark(sizes: [100, 1_000], emulator: emulator).run()
    emulator.stop()
}
if wanted("peers") {
    measurements += try await PeerBenchmark(tables: 100, directory: scratch + "/peers", reflexBinary: binary,
                                            custodian: option("--custodian"), awsCLI: option("--aws")).run()
}
if wanted("fleet") {
    measurements += try await FleetScaleBenchmark(sizes: [1_000, 10_000], emulatorSizes: [1_000], unguarded: !quick, directory: scratch + "/fleet").run()
}
if wanted("failover") {
    measurements += try await FailoverBenchmark(kills: quick ? 5 : 20, leaseSeconds: 20, heartbeatSeconds: 5, directory: scratch + "/failover",
                                                binary: binary).run()
}
if wanted("log") {
    measurements += try DecisionLogBenchmark(rows: quick ? 100_000 : 1_000_000, appends: quick ? 500 : 5_000, directory: scratch).run()
}

print(ReportTable.render(measurements))
if let jsonPath = option("--json") {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
    try encoder.encode(measurements).write(to: URL(fileURLWithPath: jsonPath))
}
