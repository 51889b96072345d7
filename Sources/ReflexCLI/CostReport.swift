import Foundation
import ReflexCore

/// `reflex cost`'s output: a table with the floor per policy and in total, then alarms and
/// today's polling beside it; or the same figures as JSON.
enum CostReport {
    static func table(_ cost: MetricsCost) -> String {
        let header = ["POLICY", "INSTANCES", "SERIES", "PERIODS", "METRICS/MONTH", "USD/MONTH"]
        func row(_ line: MetricsCost.Line, name: String) -> [String] {
            [name, String(line.instances), String(line.series), line.periods.map(\.description).joined(separator: ", "),
             NumberText.grouped(line.metricsPerMonth), NumberText.usd(line.usdPerMonth)]
        }
        let rows = cost.policies.map { row($0, name: $0.name) } + [row(cost.total, name: "total (a shared series once)")]
        let polling = cost.polling
        return TextTable.render(header: header, rows: rows) + "\n\n" + [
            "Floor: each series requested once per period (\(NumberText.grouped(Double(CloudWatchPricing.secondsPerMonth))) / period seconds "
                + "in a 30-day month), at \(NumberText.usd(CloudWatchPricing.standard.usdPerThousandMetrics)) per 1,000 metrics requested.",
            "Alarms instead: one CloudWatch alarm per series, \(cost.total.series) alarm\(cost.total.series == 1 ? "" : "s"), "
                + "\(NumberText.usd(cost.alarmsUSDPerMonth)) a month (\(NumberText.usd(CloudWatchPricing.standard.usdPerAlarm)) per alarm metric-month).",
            "The daemon today: every series at every poll (poll_interval \(polling.interval)), "
                + "\(NumberText.grouped(polling.metricsPerMonth)) metrics a month, \(NumberText.usd(polling.usdPerMonth)) a month; "
                + "it does not yet fetch only the periods it judges.",
        ].joined(separator: "\n")
    }

    /// `policies[]` (`name`, `series`, `metrics_per_month`, `usd_per_month`), `total` (the
    /// same and `alarms_usd_per_month`), and `current_daemon`: what the daemon requests today.
    static func json(_ cost: MetricsCost) -> String {
        func figures(_ line: MetricsCost.Line) -> [String: Any] {
            ["series": line.series, "metrics_per_month": number(line.metricsPerMonth), "usd_per_month": dollars(line.usdPerMonth)]
        }
        var total = figures(cost.total)
        total["alarms_usd_per_month"] = dollars(cost.alarmsUSDPerMonth)
        let object: [String: Any] = [
            "policies": cost.policies.map { figures($0).merging(["name": $0.name]) { $1 } },
            "total": total,
            "current_daemon": ["poll_interval_seconds": cost.polling.interval.seconds, "metrics_per_month": number(cost.polling.metricsPerMonth),
                               "usd_per_month": dollars(cost.polling.usdPerMonth)],
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
