import Foundation
import ReflexCore

/// Reads metrics with CloudWatch GetMetricData: all queries of a cycle, de-duplicated, packed
/// 500 to a call over one time range, the calls made concurrently, each following `NextToken`. A query whose data came back
/// incomplete, or whose call failed, is a failure: the policies reading it fail closed. So is a
/// batch whose paging does not end (a token repeated, or more than `maxPagesPerBatch` pages), or
/// whose task was cancelled.
public struct CloudWatchMetricsSource: MetricsSource {
    /// GetMetricData's limit of queries per call.
    public static let queriesPerCall = 500
    /// The most pages one batch may take. A page holds up to 100,800 datapoints: 500 queries
    /// of a day of one-minute periods fill about 8, so 100 is far beyond any real window.
    public static let maxPagesPerBatch = 100

    let client: AWSClient

    /// A source calling CloudWatch through `client`.
    public init(client: AWSClient) {
        precondition(client.service == .cloudWatch, "CloudWatchMetricsSource needs a CloudWatch client")
        self.client = client
    }

    public func fetch(_ queries: [MetricQuery], from start: Date, to end: Date) async -> [MetricQuery: Result<MetricSeries, MetricsFailure>] {
        var unique: [MetricQuery] = []
        var seen: Set<MetricQuery> = []
        for query in queries where seen.insert(query).inserted { unique.append(query) }
        let batches = stride(from: 0, to: unique.count, by: Self.queriesPerCall).map {
            Array(unique[$0..<min($0 + Self.queriesPerCall, unique.count)])
        }
        // The batches go out together so that a cycle's fetch takes one round trip, not one per
        // 500 metrics (20 calls for 10,000 metrics stay well inside GetMetricData's 50 per second).
        return await withTaskGroup(of: [MetricQuery: Result<MetricSeries, MetricsFailure>].self) { group in
            for batch in batches {
                group.addTask { await fetchBatch(batch, from: start, to: end) }
            }
            var results: [MetricQuery: Result<MetricSeries, MetricsFailure>] = [:]
            for await batchResults in group { results.merge(batchResults) { first, _ in first } }
            return results
        }
    }

    private func fetchBatch(_ batch: [MetricQuery], from start: Date, to end: Date) async -> [MetricQuery: Result<MetricSeries, MetricsFailure>] {
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
        var tokensSeen: Set<String> = []
        var pages = 0
        repeat {
            if Task.isCancelled { return failed("GetMetricData cancelled") }
            guard pages < Self.maxPagesPerBatch else {
                return failed("GetMetricData failed: paging did not end after \(Self.maxPagesPerBatch) pages")
            }
            pages += 1
            let input = GetMetricDataInput(MetricDataQueries: queries, StartTime: start, EndTime: end, ScanBy: "TimestampAscending", NextToken: nextToken)
            let output: GetMetricDataOutput
            do {
                output = try await client.call("GetMetricData", input, as: GetMetricDataOutput.self).output
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
                    // keeps the series no longer than the range.
                    guard timestamp >= start, timestamp < end else { continue }
                    series[index].set(value, at: grid.start(of: timestamp))
                }
                complete[index] = result.StatusCode == "Complete"
            }
            nextToken = output.NextToken
            if let nextToken, !tokensSeen.insert(nextToken).inserted {
                return failed("GetMetricData failed: CloudWatch repeated a NextToken; paging would not end")
            }
        } while nextToken != nil
        return Dictionary(uniqueKeysWithValues: batch.indices.map { index in
            (batch[index], complete[index] ? .success(series[index]) : .failure(MetricsFailure("CloudWatch returned incomplete data for \(batch[index].metric)")))
        })
    }
}
