import Foundation
import ReflexCore

enum MetricQueryFixtures {
    /// A query of its own: the emulator matches dimensions as a subset, so every test series
    /// gets a unique dimension.
    static func query(_ name: String, period: Int = 60, stat: String = "Sum") -> MetricQuery {
        MetricQuery(namespace: "Reflex/Test", metric: "Count", dimensions: [MetricQuery.Dimension(name: "Series", value: name)],
                    stat: Statistic(stat)!, period: TimeSpan(seconds: period))
    }

    /// A minute-aligned moment `minutes` before now.
    static func minutesAgo(_ minutes: Int) -> Date {
        let now = Int(Date().timeIntervalSince1970)
        return Date(timeIntervalSince1970: Double(now - now % 60 - minutes * 60))
    }
}
