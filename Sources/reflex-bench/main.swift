// reflex-bench: measures Reflex and prints a table of figures (and, with --json FILE, a JSON
// report). Run it in release: `swift run -c release reflex-bench [--quick] [--json FILE]`.
import Foundation

let arguments = CommandLine.arguments.dropFirst()
let quick = arguments.contains("--quick")
let jsonPath = arguments.firstIndex(of: "--json").flatMap { arguments.index(after: $0) < arguments.endIndex ? arguments[arguments.index(after: $0)] : nil }

let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("reflex-bench-\(ProcessInfo.processInfo.processIdentifier)").path
try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
defer { try? FileManager.default.removeItem(atPath: scratch) }

var measurements: [Measurement] = []
measurements += try DecisionLogBenchmark(rows: quick ? 100_000 : 1_000_000, appends: quick ? 500 : 5_000, directory: scratch).run()

print(ReportTable.render(measurements))
if let jsonPath {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
    try encoder.encode(measurements).write(to: URL(fileURLWithPath: jsonPath))
}
