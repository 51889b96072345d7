import Foundation

/// Datapoints of one metric at one period, keyed by the start of their period in whole seconds
/// since 1970. A period with no datapoint is missing, which is different from zero.
public struct MetricSeries: Hashable, Sendable {
    /// The aggregation period.
    public let period: TimeSpan
    /// Values by period start (seconds since 1970, a multiple of the period).
    public private(set) var points: [Int: Double]

    /// A series of `period` with the given points.
    public init(period: TimeSpan, points: [Int: Double] = [:]) {
        self.period = period
        self.points = points
    }

    /// A series whose consecutive values start at `start`; nil entries are missing periods.
    public init(period: TimeSpan, start: Date, values: [Double?]) {
        let first = PeriodGrid(period: period).start(of: start)
        var points: [Int: Double] = [:]
        for (index, value) in values.enumerated() {
            if let value { points[first + index * period.seconds] = value }
        }
        self.init(period: period, points: points)
    }

    /// The value of the period starting at `periodStart`, or nil when it is missing.
    public func value(at periodStart: Int) -> Double? { points[periodStart] }

    /// Records the value of the period starting at `periodStart`.
    public mutating func set(_ value: Double?, at periodStart: Int) { points[periodStart] = value }
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
