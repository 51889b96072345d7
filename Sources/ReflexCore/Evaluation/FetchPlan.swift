import Foundation

/// How one fetch is cut into calls to a metrics backend that bounds each call twice: by the
/// number of queries and by the datapoints asked for, the periods of the range summed over
/// the call's queries (CloudWatch's GetMetricData: 500 queries, 100,800 datapoints).
///
/// A query whose own range holds more periods than one call may return cannot be helped by
/// moving queries: its range is cut into consecutive slices, each asked for in a call of its
/// own range, and the slices' datapoints are put back together by the caller. Each slice is a
/// metric requested (and billed) once more, which is why the daemon counts the plan's entries,
/// not the distinct queries.
public struct FetchPlan: Hashable, Sendable {
    /// What one call may ask for.
    public struct Limits: Hashable, Sendable {
        /// The most queries in one call.
        public let queries: Int
        /// The most datapoints (periods summed over the queries) one call may ask for.
        public let datapoints: Int

        /// Limits of `queries` queries and `datapoints` datapoints per call (each at least 1).
        public init(queries: Int, datapoints: Int) {
            precondition(queries >= 1 && datapoints >= 1, "a call must hold at least one query and one datapoint")
            self.queries = queries
            self.datapoints = datapoints
        }
    }

    /// One call: some queries over one time range.
    public struct Call: Hashable, Sendable {
        /// The queries, each once.
        public let queries: [MetricQuery]
        /// The start of the call's range (inclusive).
        public let start: Date
        /// The end of the call's range (exclusive).
        public let end: Date
        /// The periods the call asks for, summed over its queries.
        public let datapoints: Int
    }

    /// The calls, those over the whole range first.
    public let calls: [Call]

    /// The queries asked for over all calls: one per query and call, so a query whose range
    /// was sliced counts once per slice. This is what GetMetricData bills ("metrics requested").
    public var metricsRequested: Int { calls.reduce(0) { $0 + $1.queries.count } }

    /// The plan for fetching `queries` (duplicates asked for once) from `start` to `end`.
    public init(queries: [MetricQuery], from start: Date, to end: Date, limits: Limits) {
        var unique: [MetricQuery] = []
        var seen: Set<MetricQuery> = []
        for query in queries where seen.insert(query).inserted { unique.append(query) }
        var ranges: [Range] = []
        var slices: [Range: [Slice]] = [:]
        for query in unique {
            for slice in Self.slices(of: query, from: start, to: end, limit: limits.datapoints) {
                if slices[slice.range] == nil { ranges.append(slice.range) }
                slices[slice.range, default: []].append(slice)
            }
        }
        calls = ranges.flatMap { Self.pack(slices[$0] ?? [], limits: limits) }
    }

    /// How many periods of `period` the range from `start` to `end` holds, a partial one
    /// included (as CloudWatch counts them).
    public static func periods(of period: TimeSpan, from start: Date, to end: Date) -> Int {
        let seconds = end.timeIntervalSince(start)
        guard seconds > 0 else { return 0 }
        return Int((seconds / Double(period.seconds)).rounded(.up))
    }

    private struct Range: Hashable {
        let start: Date
        let end: Date
    }

    private struct Slice {
        let query: MetricQuery
        let range: Range
        let datapoints: Int
    }

    /// The query over the whole range, or over consecutive slices of at most `limit` periods
    /// when the whole range holds more. Slices start on period boundaries counted from `start`,
    /// so that their buckets fall where the whole range's would.
    private static func slices(of query: MetricQuery, from start: Date, to end: Date, limit: Int) -> [Slice] {
        let total = periods(of: query.period, from: start, to: end)
        guard total > limit else { return [Slice(query: query, range: Range(start: start, end: end), datapoints: total)] }
        let span = Double(limit * query.period.seconds)
        return (0..<(total + limit - 1) / limit).map { index in
            let sliceStart = start.addingTimeInterval(Double(index) * span)
            let sliceEnd = min(end, start.addingTimeInterval(Double(index + 1) * span))
            return Slice(query: query, range: Range(start: sliceStart, end: sliceEnd),
                         datapoints: periods(of: query.period, from: sliceStart, to: sliceEnd))
        }
    }

    /// Packs slices of one range into calls: the largest first (so that queries of the same
    /// period fill calls together), a new call whenever the next one would break a limit.
    private static func pack(_ slices: [Slice], limits: Limits) -> [Call] {
        let ordered = slices.enumerated().sorted { ($0.element.datapoints, $1.offset) > ($1.element.datapoints, $0.offset) }.map(\.element)
        var calls: [Call] = []
        var queries: [MetricQuery] = []
        var datapoints = 0
        func close() {
            guard let first = ordered.first, !queries.isEmpty else { return }
            calls.append(Call(queries: queries, start: first.range.start, end: first.range.end, datapoints: datapoints))
            queries = []
            datapoints = 0
        }
        for slice in ordered {
            if queries.count == limits.queries || (!queries.isEmpty && datapoints + slice.datapoints > limits.datapoints) { close() }
            queries.append(slice.query)
            datapoints += slice.datapoints
        }
        close()
        return calls
    }
}
