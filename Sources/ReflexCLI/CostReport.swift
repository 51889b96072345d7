import Foundation
import ReflexCore

/// `reflex cost`'s output: a table with the floor per policy and in total, then alarms beside
/// it; or the same figures as JSON.
enum CostReport {
    static func table(_ cost: MetricsCost) -> String {
        let header = ["POLICY", "INSTANCES", "SERIES", "PERIODS", "METRICS/MONTH", "USD/MONTH"]
        func row(_ line: MetricsCost.Line, name: String) -> [String] {
            [name, String(line.instances), String(line.series), line.periods.map(\.description).joined(separator: ", "),
             NumberText.grouped(line.metricsPerMonth), NumberText.usd(line.usdPerMonth)]
        }
        // Across accounts and regions, each one's share too: each account pays its own bill.
        let scopes = cost.scopes.count > 1 ? cost.scopes.map { row($0, name: "in \($0.name)") } : []
        let rows = cost.policies.map { row($0, name: $0.name) } + scopes + [row(cost.total, name: "total (a shared series once)")]
        return TextTable.render(header: header, rows: rows) + "\n\n" + [
            "Floor: each series requested once per period (\(NumberText.grouped(Double(CloudWatchPricing.secondsPerMonth))) / period seconds "
                + "in a 30-day month), at \(NumberText.usd(CloudWatchPricing.standard.usdPerThousandMetrics)) per 1,000 metrics requested.",
            "Alarms instead: one CloudWatch alarm per series, \(cost.total.series) alarm\(cost.total.series == 1 ? "" : "s"), "
                + "\(NumberText.usd(cost.alarmsUSDPerMonth)) a month (\(NumberText.usd(CloudWatchPricing.standard.usdPerAlarm)) per alarm metric-month).",
            "The daemon requests the floor: each series once per newly settled period, however short its poll_interval "
                + "(one more request per series at each start, and for a series a reloaded policy reads further back than what is kept).",
        ].joined(separator: "\n")
    }

    /// `policies[]` (`name`, `series`, `metrics_per_month`, `usd_per_month`) and `total` (the
    /// same and `alarms_usd_per_month`).
    static func json(_ cost: MetricsCost) -> String {
        func figures(_ line: MetricsCost.Line) -> [String: Any] {
            ["series": line.series, "metrics_per_month": number(line.metricsPerMonth), "usd_per_month": dollars(line.usdPerMonth)]
        }
        var total = figures(cost.total)
        total["alarms_usd_per_month"] = dollars(cost.alarmsUSDPerMonth)
        let object: [String: Any] = [
            "policies": cost.policies.map { figures($0).merging(["name": $0.name]) { $1 } },
            "total": total,
            "scopes": cost.scopes.map { figures($0).merging(["scope": $0.name]) { $1 } },
        ]
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])) ?? Data()
        return String(decoding: data, as: UTF8.self)
    }

    /// A whole number as an integer; otherwise to two decimals (a period that does not divide
    /// the month).
    private static func number(_ value: Double) -> Any {
        value == value.rounded() ? Int(value) : (value * 100).rounded() / 100
    }

    /// Dollars to a millionth, so that binary fractions do not show (2.2464, not 2.2464000000000004).
    private static func dollars(_ value: Double) -> Double {
        (value * 1_000_000).rounded() / 1_000_000
    }
}
