import Foundation

/// The port through which Reflex reads metrics. Every query gets a result: its series, or the
/// failure that makes the policies reading it fail closed.
public protocol MetricsSource: Sendable {
    /// The datapoints of `queries` in periods starting at or after `start` and before `end`.
    func fetch(_ queries: [MetricQuery], from start: Date, to end: Date) async -> [MetricQuery: Result<MetricSeries, MetricsFailure>]

    /// How many metrics a fetch of `queries` from `start` to `end` asks its backend for: what
    /// the daemon reports as "metrics requested", since CloudWatch bills GetMetricData by it.
    func metricsRequested(by queries: [MetricQuery], from start: Date, to end: Date) -> Int
}

extension MetricsSource {
    /// One per distinct query: a source that asks for each query once per fetch.
    public func metricsRequested(by queries: [MetricQuery], from start: Date, to end: Date) -> Int {
        Set(queries).count
    }
}
