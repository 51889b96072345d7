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
        await QueryRouting.fetch(queries, by: \.source.kind, from: start, to: end) { kind in
            sources[kind].map { .success($0) } ?? .failure(MetricsFailure("\(kind.rawValue) series cannot be read here"))
        }
    }

    /// What CloudWatch bills: the other sources request no CloudWatch metrics.
    public func metricsRequested(by queries: [MetricQuery], from start: Date, to end: Date) -> Int {
        let cloudWatch = queries.filter(\.isCloudWatch)
        return sources[.cloudWatch]?.metricsRequested(by: cloudWatch, from: start, to: end) ?? 0
    }
}
