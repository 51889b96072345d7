import Foundation

/// The metrics the daemon has requested from CloudWatch since it started, and their hourly
/// rate: what its GetMetricData bill grows by.
public struct MetricsMeter: Hashable, Sendable {
    /// When the daemon started.
    public let since: Date
    /// Metrics requested since then.
    public private(set) var requested = 0

    /// A meter starting at `since` with nothing requested.
    public init(since: Date) {
        self.since = since
    }

    /// Counts one fetch's metrics requested.
    public mutating func record(_ metrics: Int) {
        requested += metrics
    }

    /// Metrics per hour at `now`, for a daemon that fetches every `interval`.
    ///
    /// The newest fetch counts for the whole interval it opens: over the time since the start
    /// alone, the first fetch would be a rate without end, and the first hour's far too high
    /// (two fetches a minute apart are not 120 a minute). So the rate is right from the first
    /// cycle, and what the daemon requests beyond its polls (the fetch at start, between two
    /// boundaries) shows as it happens.
    public func perHour(at now: Date, interval: TimeSpan) -> Double {
        let covered = max(0, now.timeIntervalSince(since)) + Double(max(1, interval.seconds))
        return Double(requested) * 3600 / covered
    }
}
