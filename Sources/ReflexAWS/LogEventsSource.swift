import Foundation
import ReflexCore

/// `log_events` series: how many events of a log group matched a filter pattern in each
/// period, counted with FilterLogEvents over the fetch's range, every page read. All log
/// queries share one pacer for the daemon's life, at FilterLogEvents' default quota of five
/// requests a second per account and region.
public struct LogEventsSource: MetricsSource {
    /// FilterLogEvents' default quota.
    public static let callsPerSecond = 5

    private let logs: CloudWatchLogsClient
    private let pacer: CallPacer

    /// A source reading through `logs`, at most `callsPerSecond` calls in any second.
    public init(logs: CloudWatchLogsClient, callsPerSecond: Int = callsPerSecond) {
        self.logs = logs
        self.pacer = CallPacer(callsPerSecond: callsPerSecond)
    }

    public func metricsRequested(by queries: [MetricQuery], from start: Date, to end: Date) -> Int { 0 }

    public func fetch(_ queries: [MetricQuery], from start: Date, to end: Date) async -> [MetricQuery: Result<MetricSeries, MetricsFailure>] {
        await withTaskGroup(of: (MetricQuery, Result<MetricSeries, MetricsFailure>).self) { group in
            for query in Set(queries) {
                guard case let .logEvents(events) = query.source else { continue }
                group.addTask {
                    do {
                        let times = try await logs.eventTimes(group: events.group, pattern: events.pattern, from: start, to: end, pacer: pacer)
                        return (query, .success(.counts(of: times, period: query.period, from: start, to: end)))
                    } catch {
                        return (query, .failure(MetricsFailure("log events of \(events.group) could not be read: \(error)")))
                    }
                }
            }
            var results: [MetricQuery: Result<MetricSeries, MetricsFailure>] = [:]
            for await (query, result) in group { results[query] = result }
            return results
        }
    }
}
