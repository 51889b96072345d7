import Foundation
import ReflexCore

/// Reads each query in its account and region: queries are grouped by scope, and each group
/// goes to that scope's sources (its own credentials, clients, pacing and quotas) side by side.
/// A scope whose sources cannot be made, or whose calls fail (a role that cannot be assumed,
/// throttling), fails only its own queries.
public struct ScopedSeriesSources: MetricsSource {
    private let sources: PerScope<any MetricsSource>

    /// Queries of each scope read through `sources(scope)`.
    public init(_ sources: PerScope<any MetricsSource>) {
        self.sources = sources
    }

    public func fetch(_ queries: [MetricQuery], from start: Date, to end: Date) async -> [MetricQuery: Result<MetricSeries, MetricsFailure>] {
        await QueryRouting.fetch(queries, by: \.scope, from: start, to: end) { scope in
            Result { try sources(scope) }.mapError { MetricsFailure("\(scope): \($0)") }
        }
    }

    public func metricsRequested(by queries: [MetricQuery], from start: Date, to end: Date) -> Int {
        Dictionary(grouping: queries, by: \.scope).reduce(0) { total, group in
            total + ((try? sources(group.key))?.metricsRequested(by: group.value, from: start, to: end) ?? 0)
        }
    }
}
