/// One series that a policy reads, with the period it is read at: a CloudWatch metric with its
/// statistic, or another source (`source`). Two policies that name the same query share one
/// fetch.
public struct MetricQuery: Hashable, Sendable {
    /// A CloudWatch dimension, kept in a sorted list so that equal queries compare equal.
    public struct Dimension: Hashable, Sendable {
        /// The dimension's name, e.g. `LoadBalancer`.
        public let name: String
        /// The dimension's value.
        public let value: String

        /// A dimension `name=value`.
        public init(name: String, value: String) {
            self.name = name
            self.value = value
        }
    }

    /// The CloudWatch namespace, e.g. `AWS/ApplicationELB`.
    public let namespace: String
    /// The metric name, e.g. `HTTPCode_Target_5XX_Count`.
    public let metric: String
    /// The dimensions, sorted by name.
    public let dimensions: [Dimension]
    /// The statistic to aggregate each period with.
    public let stat: Statistic
    /// The aggregation period.
    public let period: TimeSpan
    /// Where the series comes from; the fields above describe a CloudWatch one.
    public let source: SeriesSource
    /// The account and region it is read in: the same query in two accounts is two series.
    public private(set) var scope: Scope = .home

    /// A CloudWatch query; dimensions are sorted by name.
    public init(namespace: String, metric: String, dimensions: [Dimension], stat: Statistic, period: TimeSpan) {
        self.namespace = namespace
        self.metric = metric
        self.dimensions = dimensions.sorted { $0.name < $1.name }
        self.stat = stat
        self.period = period
        self.source = .cloudWatch
    }

    /// A series of a source beside CloudWatch, one value per `period`.
    public init(source: SeriesSource, period: TimeSpan) {
        self.namespace = ""
        self.metric = source.kind.rawValue
        self.dimensions = []
        // Counts add up over a period; a probe's value is already a fraction.
        self.stat = Statistic(source.kind == .httpProbe ? "Average" : "Sum")!
        self.period = period
        self.source = source
    }

    /// The same query read in `scope`. A probe is sent from the daemon's host wherever its
    /// policy's target lives, so it keeps its scope: two accounts probing one URL share it.
    public func scoped(_ scope: Scope) -> MetricQuery {
        guard source.kind != .httpProbe else { return self }
        var query = self
        query.scope = scope
        return query
    }

    /// Whether CloudWatch answers this query (and bills it).
    public var isCloudWatch: Bool { source == .cloudWatch }

    /// Whether `period` is one CloudWatch accepts: 10s, 30s or a multiple of 60s.
    public static func isValidPeriod(_ period: TimeSpan) -> Bool {
        period.seconds == 10 || period.seconds == 30 || (period.seconds > 0 && period.seconds % 60 == 0)
    }
}

/// A metric query under the name a policy's expressions use for it.
public struct NamedMetric: Hashable, Sendable {
    /// The name used in `condition` and `resolve`.
    public let name: String
    /// What to fetch.
    public let query: MetricQuery

    /// Names `query` as `name`.
    public init(name: String, query: MetricQuery) {
        self.name = name
        self.query = query
    }
}
