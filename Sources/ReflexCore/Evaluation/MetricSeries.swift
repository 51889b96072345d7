import Foundation

/// Datapoints of one metric at one period, by the start of their period in whole seconds since
/// 1970 (a multiple of the period). A period with no datapoint is missing, which is different
/// from zero.
///
/// Stored densely, as consecutive periods from the oldest: evaluation reads every period of
/// every window, and an array index is several times cheaper than a hashed lookup.
public struct MetricSeries: Hashable, Sendable {
    /// The aggregation period.
    public let period: TimeSpan
    /// The start of the period of `values[0]`.
    private var origin = 0
    /// Consecutive periods from `origin`; nil where missing.
    private var values: [Double?] = []

    /// A series of `period` with the given points.
    public init(period: TimeSpan, points: [Int: Double] = [:]) {
        self.period = period
        for (start, value) in points.sorted(by: { $0.key < $1.key }) { set(value, at: start) }
    }

    /// A series whose consecutive values start at `start`; nil entries are missing periods.
    public init(period: TimeSpan, start: Date, values: [Double?]) {
        self.period = period
        self.origin = PeriodGrid(period: period).start(of: start)
        self.values = values
    }

    /// The values present, by period start.
    public var points: [Int: Double] {
        var points: [Int: Double] = [:]
        for (index, value) in values.enumerated() {
            if let value { points[origin + index * period.seconds] = value }
        }
        return points
    }

    /// The value of the period starting at `periodStart`, or nil when it is missing.
    public func value(at periodStart: Int) -> Double? {
        let offset = periodStart - origin
        guard offset >= 0, offset % period.seconds == 0 else { return nil }
        let index = offset / period.seconds
        return index < values.count ? values[index] : nil
    }

    /// Records the value of the period starting at `periodStart` (on the same grid as the
    /// series' other periods).
    public mutating func set(_ value: Double?, at periodStart: Int) {
        guard !values.isEmpty else {
            if value != nil { origin = periodStart; values = [value] }
            return
        }
        let offset = periodStart - origin
        var index = (offset - ((offset % period.seconds) + period.seconds) % period.seconds) / period.seconds
        if index < 0 {
            // Grow at the front by at least the current length, so that filling a series
            // newest first stays linear.
            let grown = max(-index, values.count)
            values.insert(contentsOf: repeatElement(nil, count: grown), at: 0)
            origin -= grown * period.seconds
            index += grown
        }
        if index >= values.count { values.append(contentsOf: repeatElement(nil, count: index - values.count + 1)) }
        values[index] = value
    }

    public static func == (lhs: MetricSeries, rhs: MetricSeries) -> Bool {
        lhs.period == rhs.period && lhs.points == rhs.points
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(period)
        hasher.combine(points)
    }
}

/// Arithmetic on period boundaries, all in whole seconds since 1970.
public struct PeriodGrid: Hashable, Sendable {
    /// The period the grid is cut in.
    public let period: TimeSpan

    /// A grid of `period`.
    public init(period: TimeSpan) { self.period = period }

    /// The start of the period containing `date`.
    public func start(of date: Date) -> Int {
        let seconds = Int(date.timeIntervalSince1970.rounded(.down))
        return seconds - ((seconds % period.seconds) + period.seconds) % period.seconds
    }

    /// The start of the newest period that may be judged at `now`: it has ended, and
    /// `settle` has passed since.
    public func newestJudged(at now: Date, settle: TimeSpan) -> Int {
        start(of: now.addingTimeInterval(-Double(settle.seconds))) - period.seconds
    }
}
