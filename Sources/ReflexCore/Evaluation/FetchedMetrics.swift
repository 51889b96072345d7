/// The results of one fetch, by query, handed out per policy under the policy's own names.
public struct FetchedMetrics: Sendable {
    /// Each query's series or failure.
    public let results: [MetricQuery: Result<MetricSeries, MetricsFailure>]

    /// Wraps a fetch's results.
    public init(_ results: [MetricQuery: Result<MetricSeries, MetricsFailure>]) {
        self.results = results
    }

    /// `policy`'s series by metric name, or the first failure among its queries (a query
    /// with no result at all is a failure too: fail closed).
    public func series(for policy: Policy) -> Result<[String: MetricSeries], MetricsFailure> {
        Self.series(for: policy) { results[$0] }
    }

    /// `policy`'s series by metric name from `result`'s answer to each query, or the first
    /// failure among them (no answer at all is a failure too).
    static func series(
        for policy: Policy, result: (MetricQuery) -> Result<MetricSeries, MetricsFailure>?
    ) -> Result<[String: MetricSeries], MetricsFailure> {
        var series: [String: MetricSeries] = [:]
        for metric in policy.metrics {
            switch result(metric.query) {
            case let .success(values)?: series[metric.name] = values
            case let .failure(failure)?: return .failure(failure)
            case nil: return .failure(MetricsFailure("no result for metric '\(metric.name)'"))
            }
        }
        return .success(series)
    }
}
