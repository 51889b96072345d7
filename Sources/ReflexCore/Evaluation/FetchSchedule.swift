import Foundation

/// Decides, cycle by cycle, which series to buy and which policies to judge, so that each
/// series is requested once per newly settled period instead of at every poll.
///
/// CloudWatch bills GetMetricData per metric requested, whatever the range asked for: a
/// five-minute metric fetched at every one-minute poll is bought five times per period for
/// one new value. So the schedule keeps each query's last answer, judges a policy only when
/// its newest judgeable period has moved on (a new period has settled), and fetches a query
/// only when a policy about to be judged needs more than the kept answer holds. Re-reading
/// the recent periods of a window in the same request costs nothing and picks up late
/// datapoints, so every fetch covers the whole window of every policy reading the query.
///
/// Pure: time is a parameter, and the fetch itself is the caller's.
public struct FetchSchedule: Sendable {
    /// What one cycle does: the policies to judge, and what to fetch first.
    public struct Cycle: Sendable {
        /// The policies to judge, in the order given.
        public let due: [Policy]
        /// The queries to fetch before judging; empty when the kept answers serve every due policy.
        public let queries: [MetricQuery]
        /// The start of the range to fetch.
        public let start: Date
        /// The end of the range to fetch.
        public let end: Date
        /// The moment the cycle was planned for.
        public let at: Date
    }

    /// A query's last answer and what it covers.
    private struct Answer: Sendable {
        let result: Result<MetricSeries, MetricsFailure>
        /// The range fetched, in seconds since 1970.
        let start: Int, end: Int
        /// When it was fetched: a period is settled in it only if it had settled by then.
        let fetchedAt: Date
    }

    private var answers: [MetricQuery: Answer] = [:]
    /// The newest period each instance was judged on (successfully), by `Policy.instanceKey`.
    private var judged: [String: Int] = [:]

    /// An empty schedule: the first cycle judges every policy and fetches every query.
    public init() {}

    /// The cycle at `now` for `policies`: every policy with a newly settled period (or never
    /// judged, or forgotten by `rejudge`).
    public func plan(_ policies: [Policy], at now: Date) -> Cycle {
        // By index, reading fields in place: copying a policy for each look is most of the cost
        // with tens of thousands of instances.
        var due: [Policy] = []
        var wanted: Set<MetricQuery> = []
        var order: [MetricQuery] = []
        for index in policies.indices {
            let key = policies[index].instanceKey
            if let last = judged[key], last >= Self.newest(policies[index], at: now) { continue }
            due.append(policies[index])
            for metric in policies[index].metrics where !serves(metric.query, policies[index], at: now) && wanted.insert(metric.query).inserted {
                order.append(metric.query)
            }
        }
        guard !wanted.isEmpty else { return Cycle(due: due, queries: [], start: now, end: now, at: now) }
        // One range for the cycle, covering every policy that reads what is fetched: the new
        // answer replaces the old one for all of them.
        var range = MetricsWindow.Range(at: now)
        for index in policies.indices where policies[index].metrics.contains(where: { wanted.contains($0.query) }) {
            range.include(policies[index])
        }
        let (start, end) = range.bounds
        return Cycle(due: due, queries: order, start: start, end: end, at: now)
    }

    /// Forgets the answers no policy of `policies` reads any more and the judgements of
    /// instances that are gone: for when the policies judged change (a reload, a discovery).
    public mutating func keep(only policies: [Policy]) {
        let keys = Set(policies.map(\.instanceKey))
        judged = judged.filter { keys.contains($0.key) }
        let read = Set(policies.flatMap { $0.metrics.map(\.query) })
        answers = answers.filter { read.contains($0.key) }
    }

    /// Keeps the answers to `cycle`'s fetch; a query without one failed.
    public mutating func absorb(_ results: [MetricQuery: Result<MetricSeries, MetricsFailure>], of cycle: Cycle) {
        let start = Int(cycle.start.timeIntervalSince1970), end = Int(cycle.end.timeIntervalSince1970)
        for query in cycle.queries {
            let result = results[query] ?? .failure(MetricsFailure("no result for \(query.metric)"))
            answers[query] = Answer(result: result, start: start, end: end, fetchedAt: cycle.at)
        }
    }

    /// Judges `policy` at `now` from `previous` on the kept answers. Only a judgement made on
    /// data counts as the period judged: after a failure the policy is due again at the next
    /// cycle, and its queries are fetched again.
    public mutating func judge(_ policy: Policy, previous: PolicyStatus, at now: Date) -> Evaluation {
        let series = FetchedMetrics.series(for: policy) { answers[$0]?.result }
        let evaluation = PolicyEvaluator.evaluate(policy, series: series, previous: previous, at: now)
        if case .success = series { judged[policy.instanceKey] = Self.newest(policy, at: now) }
        return evaluation
    }

    /// Forgets the judgements of the instances with these keys, so that they are judged at the
    /// next cycle (after a reload changed them, or when their judgement could not be recorded).
    public mutating func rejudge(_ keys: some Sequence<String>) {
        for key in keys { judged[key] = nil }
    }

    /// The metrics an hour the schedule buys for the series it keeps: each once per period.
    public var metricsPerHour: Double {
        answers.keys.filter(\.isCloudWatch).reduce(0) { $0 + 3600 / Double($1.period.seconds) }
    }

    /// Whether the kept answer to `query` holds everything `policy` reads of it at `now`: fetched
    /// after the newest judgeable period settled, over the policy's whole window.
    private func serves(_ query: MetricQuery, _ policy: Policy, at now: Date) -> Bool {
        guard let answer = answers[query], case .success = answer.result else { return false }
        let newest = Self.newest(policy, at: now)
        let settled = newest + policy.period.seconds + policy.settleDelay.seconds
        return answer.fetchedAt.timeIntervalSince1970 >= Double(settled)
            && answer.start <= newest - policy.lookbackPeriods * policy.period.seconds
            && answer.end >= newest + policy.period.seconds
    }

    private static func newest(_ policy: Policy, at now: Date) -> Int {
        PeriodGrid(period: policy.period).newestJudged(at: now, settle: policy.settleDelay)
    }
}
