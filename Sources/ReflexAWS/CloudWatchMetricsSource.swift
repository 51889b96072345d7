import Foundation
import ReflexCore

/// Reads metrics with CloudWatch GetMetricData: all queries of a cycle, de-duplicated, packed
/// into as few calls as GetMetricData's limits allow (500 queries and 100,800 datapoints a
/// call; see `FetchPlan`), the calls made concurrently but no more than 50 in a second (see
/// `CallPacer`), each following `NextToken`. A query whose own range holds more than 100,800
/// periods is asked for in slices of its range, put back together here.
///
/// A query whose data came back incomplete, or whose call failed, is a failure: the policies
/// reading it fail closed. So is a batch whose paging does not end (a token repeated, or more
/// than `maxPagesPerBatch` pages), or whose task was cancelled.
public struct CloudWatchMetricsSource: MetricsSource {
    /// GetMetricData's limit of queries per call.
    public static let queriesPerCall = 500
    /// GetMetricData's limit of datapoints per call: the periods of the range, summed over the
    /// call's queries. It is also the page size CloudWatch uses by default, so a call within
    /// it is answered on one page.
    public static let datapointsPerCall = 100_800
    /// GetMetricData's default quota of calls per second (per account and region).
    public static let callsPerSecond = 50
    /// The most pages one batch may take. Calls stay within one page's datapoints, so a
    /// second page is already unusual; 100 is far beyond any honest answer.
    public static let maxPagesPerBatch = 100

    let client: AWSClient
    let limits: FetchPlan.Limits
    let callsPerSecond: Int

    /// A source calling CloudWatch through `client`, within `limits` per call and at most
    /// `callsPerSecond` calls in any second of one fetch.
    public init(client: AWSClient, limits: FetchPlan.Limits = FetchPlan.Limits(queries: queriesPerCall, datapoints: datapointsPerCall),
                callsPerSecond: Int = callsPerSecond) {
        precondition(client.service == .cloudWatch, "CloudWatchMetricsSource needs a CloudWatch client")
        self.client = client
        self.limits = limits
        self.callsPerSecond = callsPerSecond
    }

    /// One per query per call: a query is in one call unless its range had to be sliced.
    public func metricsRequested(by queries: [MetricQuery], from start: Date, to end: Date) -> Int {
        FetchPlan(queries: queries, from: start, to: end, limits: limits).metricsRequested
    }

    public func fetch(_ queries: [MetricQuery], from start: Date, to end: Date) async -> [MetricQuery: Result<MetricSeries, MetricsFailure>] {
        let plan = FetchPlan(queries: queries, from: start, to: end, limits: limits)
        // One pacer for the whole fetch: the calls go out together, so that a fetch takes one
        // round trip, unless there are more than a second's worth of them.
        let pacer = CallPacer(callsPerSecond: callsPerSecond)
        return await withTaskGroup(of: [MetricQuery: Result<MetricSeries, MetricsFailure>].self) { group in
            for call in plan.calls {
                group.addTask { await fetchBatch(call, pacer: pacer) }
            }
            var results: [MetricQuery: Result<MetricSeries, MetricsFailure>] = [:]
            for await batchResults in group {
                for (query, result) in batchResults { results[query] = Self.merge(results[query], result) }
            }
            return results
        }
    }

    /// The slices of one query's range together: their datapoints in one series, or the first
    /// failure among them.
    private static func merge(_ earlier: Result<MetricSeries, MetricsFailure>?,
                              _ later: Result<MetricSeries, MetricsFailure>) -> Result<MetricSeries, MetricsFailure> {
        guard let earlier else { return later }
        switch (earlier, later) {
        case (.failure, _): return earlier
        case (_, .failure): return later
        case let (.success(first), .success(second)):
            var series = first
            for (start, value) in second.points.sorted(by: { $0.key < $1.key }) { series.set(value, at: start) }
            return .success(series)
        }
    }

    private func fetchBatch(_ call: FetchPlan.Call, pacer: CallPacer) async -> [MetricQuery: Result<MetricSeries, MetricsFailure>] {
        let batch = call.queries
        let (start, end) = (call.start, call.end)
        let queries = batch.enumerated().map { index, query in
            GetMetricDataInput.Query(
                Id: "q\(index)",
                MetricStat: .init(Metric: .init(Namespace: query.namespace, MetricName: query.metric,
                                                Dimensions: query.dimensions.map { .init(Name: $0.name, Value: $0.value) }),
                                  Period: query.period.seconds, Stat: query.stat.name),
                ReturnData: true)
        }
        func failed(_ message: String) -> [MetricQuery: Result<MetricSeries, MetricsFailure>] {
            Dictionary(uniqueKeysWithValues: batch.map { ($0, .failure(MetricsFailure(message))) })
        }
        var series = batch.map { MetricSeries(period: $0.period) }
        var complete = Array(repeating: false, count: batch.count)
        var nextToken: String?
        var paging = Paging("GetMetricData", maxPages: Self.maxPagesPerBatch)
        repeat {
            if Task.isCancelled { return failed("GetMetricData cancelled") }
            let input = GetMetricDataInput(MetricDataQueries: queries, StartTime: start, EndTime: end, ScanBy: "TimestampAscending", NextToken: nextToken)
            let output: GetMetricDataOutput
            do {
                // Every page is a call of its own, paced with the others.
                output = try await pacer.paced { [client] in try await client.call("GetMetricData", input, as: GetMetricDataOutput.self).output }
            } catch is CancellationError {
                return failed("GetMetricData cancelled")
            } catch {
                return failed("GetMetricData failed: \(error)")
            }
            for result in output.MetricDataResults ?? [] {
                guard result.Id.hasPrefix("q"), let index = Int(result.Id.dropFirst()), batch.indices.contains(index) else { continue }
                let grid = PeriodGrid(period: batch[index].period)
                for (timestamp, value) in zip(result.Timestamps ?? [], result.Values ?? []) {
                    // A datapoint outside the range asked for cannot be judged; ignoring it also
                    // keeps the series no longer than the range (and a slice out of its neighbours').
                    guard timestamp >= start, timestamp < end else { continue }
                    series[index].set(value, at: grid.start(of: timestamp))
                }
                complete[index] = result.StatusCode == "Complete"
            }
            do {
                nextToken = try paging.next(after: output.NextToken)
            } catch {
                return failed("GetMetricData failed: \(error)")
            }
        } while nextToken != nil
        return Dictionary(uniqueKeysWithValues: batch.indices.map { index in
            (batch[index], complete[index] ? .success(series[index]) : .failure(MetricsFailure("CloudWatch returned incomplete data for \(batch[index].metric)")))
        })
    }
}
