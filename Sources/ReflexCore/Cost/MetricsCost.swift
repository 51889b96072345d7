/// What reading the policies' metrics from CloudWatch costs a month, per policy and in total.
///
/// The floor is what judging every period once costs: each distinct series (namespace,
/// metric, dimensions, statistic, period) requested once per period. A series that several
/// policies read is requested once, so it counts once in the total (and in each policy that
/// reads it). The daemon's fetch schedule requests exactly this, whatever its poll interval.
/// Beside it: what one CloudWatch alarm per series would cost.
public struct MetricsCost: Hashable, Sendable {
    /// The cost of a set of series: one policy's, or all of them.
    public struct Line: Hashable, Sendable {
        /// The policy's name, or `total`.
        public let name: String
        /// The instances judged: 1 for a policy over one target, the members found for a fleet.
        public let instances: Int
        /// The distinct series read.
        public let series: Int
        /// Their distinct periods, shortest first.
        public let periods: [TimeSpan]
        /// Metrics requested a month, each series once per period.
        public let metricsPerMonth: Double
        /// What those requests cost a month.
        public let usdPerMonth: Double
    }

    /// One line per policy, in the order given.
    public let policies: [Line]
    /// Every distinct series of every policy, each counted once.
    public let total: Line
    /// What one CloudWatch alarm per distinct series would cost a month instead.
    public let alarmsUSDPerMonth: Double
    /// The same per account and region (each line named by its scope), home first: each is
    /// billed to its own account.
    public let scopes: [Line]

    /// The cost of `policies` as written, judged as `instances` (each policy over one target,
    /// and every instance discovery found for each fleet).
    public init(policies: [Policy], instances: [Policy], pricing: CloudWatchPricing = .standard) {
        func line(_ name: String, _ judged: [Policy], series: Set<MetricQuery>? = nil) -> Line {
            let series = series ?? Set(judged.flatMap { $0.metrics.map(\.query) }.filter(\.isCloudWatch))
            let metrics = series.reduce(0.0) { $0 + CloudWatchPricing.requestsPerMonth(every: $1.period) }
            return Line(name: name, instances: judged.count, series: series.count, periods: Set(series.map(\.period)).sorted(),
                        metricsPerMonth: metrics, usdPerMonth: pricing.usd(metrics: metrics))
        }
        self.policies = policies.map { policy in line(policy.name, instances.filter { $0.name == policy.name }) }
        let series = Set(instances.flatMap { $0.metrics.map(\.query) }.filter(\.isCloudWatch))
        self.total = line("total", instances, series: series)
        self.scopes = Set(instances.map(\.target.scope)).sorted().map { scope in
            line(scope.description, instances.filter { $0.target.scope == scope }, series: series.filter { $0.scope == scope })
        }
        self.alarmsUSDPerMonth = series.reduce(0.0) { $0 + pricing.alarmUSD(period: $1.period) }
    }
}
