import Foundation

/// The metrics the daemon has requested from CloudWatch since it started: what its
/// GetMetricData bill has grown by. The count is measured, not derived from the schedule, so
/// that a schedule buying more than it should shows in it.
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
}
