// reflex-bench: measures Reflex and prints a table of figures (and, with --json FILE, a JSON
// report). Run it in release: `swift build -c release && swift run -c release reflex-bench [--quick] [--json FILE]`
// (it times the `reflex` binary built beside it).
import Foundation

let arguments = CommandLine.arguments.dropFirst()
let quick = arguments.contains("--quick")
let jsonPath = arguments.firstIndex(of: "--json").flatMap { arguments.index(after: $0) < arguments.endIndex ? arguments[arguments.index(after: $0)] : nil }

let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("reflex-bench-\(ProcessInfo.processInfo.processIdentifier)").path
try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
defer { try? FileManager.default.removeItem(atPath: scratch) }

let binary = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("reflex").path

var measurements: [Measurement] = []
measurements += try await DaemonBenchmark(policies: 1_000, cycles: quick ? 200 : 1_000, directory: scratch + "/daemon", binary: binary).run()
measurements += try DecisionLogBenchmark(rows: quick ? 100_000 : 1_000_000, appends: quick ? 500 : 5_000, directory: scratch).run()

print(ReportTable.render(measurements))
if let jsonPath {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
    try encoder.encode(measurements).write(to: URL(fileURLWithPath: jsonPath))
}
