import Foundation

extension MetricSeries {
    /// How many of `moments` fall in each period of `period` from `start` to `end`: a count for
    /// every period of the range, zero where none fell (the source was read: nothing happened,
    /// which is not missing data).
    public static func counts(of moments: [Date], period: TimeSpan, from start: Date, to end: Date) -> MetricSeries {
        let grid = PeriodGrid(period: period)
        let first = grid.start(of: start)
        let periods = max(0, (Int(end.timeIntervalSince1970.rounded(.up)) - first + period.seconds - 1) / period.seconds)
        var values = [Double?](repeating: 0, count: periods)
        for moment in moments where moment >= start && moment < end {
            let index = (grid.start(of: moment) - first) / period.seconds
            if index >= 0 && index < periods { values[index] = (values[index] ?? 0) + 1 }
        }
        return MetricSeries(period: period, start: Date(timeIntervalSince1970: Double(first)), values: values)
    }
}
