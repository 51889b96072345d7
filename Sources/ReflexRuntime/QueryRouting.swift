import Foundation
import ReflexCore

/// Reads queries grouped by where they go (a kind of source, an account and region): each
/// group from the source its key routes to, side by side. A group whose source cannot be had
/// fails its own queries (fail closed), never another group's.
enum QueryRouting {
    static func fetch<Key: Hashable>(
        _ queries: [MetricQuery], by key: (MetricQuery) -> Key, from start: Date, to end: Date,
        route: (Key) -> Result<any MetricsSource, MetricsFailure>
    ) async -> [MetricQuery: Result<MetricSeries, MetricsFailure>] {
        await withTaskGroup(of: [MetricQuery: Result<MetricSeries, MetricsFailure>].self) { group in
            for (key, queries) in Dictionary(grouping: queries, by: key) {
                switch route(key) {
                case let .success(source):
                    group.addTask { await source.fetch(queries, from: start, to: end) }
                case let .failure(failure):
                    group.addTask { Dictionary(uniqueKeysWithValues: Set(queries).map { ($0, .failure(failure)) }) }
                }
            }
            var results: [MetricQuery: Result<MetricSeries, MetricsFailure>] = [:]
            for await answers in group { results.merge(answers) { first, _ in first } }
            return results
        }
    }
}
