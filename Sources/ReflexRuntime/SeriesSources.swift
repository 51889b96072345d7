import Foundation
import ReflexCore

/// Reads each query from the adapter of its source: CloudWatch metrics from CloudWatch, task
/// stops from ECS, log events from CloudWatch Logs, probes from the prober. The adapters are
/// read at once; a source without an adapter fails its queries (fail closed), never others.
public struct SeriesSources: MetricsSource {
    private let sources: [SeriesSource.Kind: any MetricsSource]

    /// The adapters by the kind of source each reads.
    public init(_ sources: [SeriesSource.Kind: any MetricsSource]) {
        self.sources = sources
    }

    public func fetch(_ queries: [MetricQuery], from start: Date, to end: Date) async -> [MetricQuery: Result<MetricSeries, MetricsFailure>] {
        let groups = Dictionary(grouping: queries, by: \.source.kind)
        return await withTaskGroup(of: [MetricQuery: Result<MetricSeries, MetricsFailure>].self) { group in
            for (kind, queries) in groups {
                guard let source = sources[kind] else {
                    let failure = MetricsFailure("\(kind.rawValue) series cannot be read here")
                    group.addTask { Dictionary(uniqueKeysWithValues: Set(queries).map { ($0, .failure(failure)) }) }
                    continue
                }
                group.addTask { await source.fetch(queries, from: start, to: end) }
            }
            var results: [MetricQuery: Result<MetricSeries, MetricsFailure>] = [:]
            for await answers in group { results.merge(answers) { first, _ in first } }
            return results
        }
    }

    /// What CloudWatch bills: the other sources request no CloudWatch metrics.
    public func metricsRequested(by queries: [MetricQuery], from start: Date, to end: Date) -> Int {
        let cloudWatch = queries.filter(\.isCloudWatch)
        return sources[.cloudWatch]?.metricsRequested(by: cloudWatch, from: start, to: end) ?? 0
    }
}
