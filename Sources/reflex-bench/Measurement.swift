import Foundation

/// One benchmark figure, printed in the table and written to the JSON report.
struct Measurement: Encodable {
    let section: String
    let name: String
    let value: Double
    let unit: String
    /// What the figure is compared with, e.g. "target < 50 ms: met".
    let note: String
}

/// Wall-clock timing on the monotonic clock.
enum Stopwatch {
    /// Seconds taken by `body`.
    static func seconds(_ body: () throws -> Void) rethrows -> Double {
        let start = DispatchTime.now().uptimeNanoseconds
        try body()
        return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    }

    /// The median of `runs` timings of `body`, in seconds.
    static func median(runs: Int, _ body: () throws -> Void) rethrows -> Double {
        var timings: [Double] = []
        for _ in 0..<runs { timings.append(try seconds(body)) }
        return median(timings)
    }

    /// The middle value (the upper one of an even count); 0 for none.
    static func median(_ values: some Collection<Double>) -> Double {
        let sorted = values.sorted()
        return sorted.isEmpty ? 0 : sorted[sorted.count / 2]
    }
}

/// Prints measurements as an aligned table.
enum ReportTable {
    static func render(_ measurements: [Measurement]) -> String {
        let rows = [["section", "measurement", "value", "unit", "note"]] + measurements.map {
            [$0.section, $0.name, format($0.value), $0.unit, $0.note]
        }
        let widths = (0..<4).map { column in rows.map { $0[column].count }.max() ?? 0 }
        return rows.map { row in
            (0..<4).map { row[$0].padding(toLength: widths[$0], withPad: " ", startingAt: 0) }.joined(separator: "  ") + "  " + row[4]
        }.joined(separator: "\n")
    }

    private static func format(_ value: Double) -> String {
        value >= 100 ? String(format: "%.0f", value) : String(format: "%.2f", value)
    }
}
