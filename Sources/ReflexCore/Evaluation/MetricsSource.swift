import Foundation

/// The port through which Reflex reads metrics. Every query gets a result: its series, or the
/// failure that makes the policies reading it fail closed.
public protocol MetricsSource: Sendable {
    /// The datapoints of `queries` in periods starting at or after `start` and before `end`.
    func fetch(_ queries: [MetricQuery], from start: Date, to end: Date) async -> [MetricQuery: Result<MetricSeries, MetricsFailure>]
}
