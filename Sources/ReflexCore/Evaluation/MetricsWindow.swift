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
        var earliest = Int.max, latest = Int.min
        for policy in policies {
            for metric in policy.metrics where seen.insert(metric.query).inserted { queries.append(metric.query) }
            let newest = PeriodGrid(period: policy.period).newestJudged(at: now, settle: policy.settleDelay)
            earliest = min(earliest, newest - policy.lookbackPeriods * policy.period.seconds)
            latest = max(latest, newest + policy.period.seconds)
        }
        if policies.isEmpty { earliest = 0; latest = 0 }
        // Align the start to every period in use (their least common multiple, up to a day),
        // so that CloudWatch's buckets fall on the same boundaries as the evaluator's.
        let alignment = Set(policies.map(\.period.seconds)).reduce(1) { Self.lcm($0, $1) }
        let step = alignment <= 86_400 ? alignment : (policies.map(\.period.seconds).max() ?? 1)
        earliest -= ((earliest % step) + step) % step
        self.queries = queries
        self.start = Date(timeIntervalSince1970: Double(earliest))
        self.end = Date(timeIntervalSince1970: Double(latest))
    }

    private static func lcm(_ a: Int, _ b: Int) -> Int { a / gcd(a, b) * b }
    private static func gcd(_ a: Int, _ b: Int) -> Int { b == 0 ? a : gcd(b, a % b) }
}
