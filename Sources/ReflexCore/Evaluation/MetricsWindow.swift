import Foundation

/// What one evaluation cycle must fetch: every distinct query of the policies, over the one
/// time range that covers every policy's judged window and look-back.
public struct MetricsWindow: Hashable, Sendable {
    /// The distinct queries, in first-use order.
    public let queries: [MetricQuery]
    /// The start of the range, on a boundary of every period in use where possible.
    public let start: Date
    /// The end of the range: the end of the newest judged period.
    public let end: Date

    /// The window for evaluating `policies` at `now`.
    public init(policies: [Policy], at now: Date) {
        var queries: [MetricQuery] = []
        var seen: Set<MetricQuery> = []
        var range = Range(at: now)
        for policy in policies {
            for metric in policy.metrics where seen.insert(metric.query).inserted { queries.append(metric.query) }
            range.include(policy)
        }
        self.queries = queries
        (self.start, self.end) = range.bounds
    }

    /// The range that covers the judged windows of the policies included, at a moment.
    struct Range {
        let now: Date
        private var earliest = Int.max, latest = Int.min
        private var periods: Set<Int> = []

        init(at now: Date) { self.now = now }

        /// Widens the range to `policy`'s judged window and look-back.
        mutating func include(_ policy: Policy) {
            let newest = PeriodGrid(period: policy.period).newestJudged(at: now, settle: policy.settleDelay)
            earliest = min(earliest, newest - policy.lookbackPeriods * policy.period.seconds)
            latest = max(latest, newest + policy.period.seconds)
            periods.insert(policy.period.seconds)
        }

        /// The start and end; both the epoch when nothing was included.
        var bounds: (start: Date, end: Date) {
            guard !periods.isEmpty else { return (Date(timeIntervalSince1970: 0), Date(timeIntervalSince1970: 0)) }
            // Align the start to every period in use (their least common multiple, up to a day),
            // so that CloudWatch's buckets fall on the same boundaries as the evaluator's.
            let alignment = periods.reduce(1) { Self.lcm($0, $1) }
            let step = alignment <= 86_400 ? alignment : (periods.max() ?? 1)
            let start = earliest - ((earliest % step) + step) % step
            return (Date(timeIntervalSince1970: Double(start)), Date(timeIntervalSince1970: Double(latest)))
        }

        private static func lcm(_ a: Int, _ b: Int) -> Int { a / gcd(a, b) * b }
        private static func gcd(_ a: Int, _ b: Int) -> Int { b == 0 ? a : gcd(b, a % b) }
    }
}
