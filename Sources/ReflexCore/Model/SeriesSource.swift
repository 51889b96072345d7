/// Where a policy's series comes from: a CloudWatch metric (the query's namespace, metric,
/// dimensions and statistic), or one of the signals beside CloudWatch that the runbook decides
/// with. Every source gives one value per period, which expressions read like any metric.
public enum SeriesSource: Hashable, Sendable {
    /// A CloudWatch metric.
    case cloudWatch
    /// How many of an ECS service's tasks stopped in each period and match.
    case ecsStoppedTasks(StoppedTasks)
    /// The fraction of HTTP probes in each period that got the expected status in time.
    case httpProbe(HTTPProbe)
    /// How many CloudWatch Logs events matched a filter pattern in each period.
    case logEvents(LogEvents)

    /// The kind of source, for routing queries to the adapter that reads them.
    public enum Kind: String, Hashable, Sendable, CaseIterable {
        case cloudWatch = "cloudwatch"
        case ecsStoppedTasks = "ecs_stopped_tasks"
        case httpProbe = "http_probe"
        case logEvents = "log_events"
    }

    /// The kind of this source.
    public var kind: Kind {
        switch self {
        case .cloudWatch: .cloudWatch
        case .ecsStoppedTasks: .ecsStoppedTasks
        case .httpProbe: .httpProbe
        case .logEvents: .logEvents
        }
    }

    /// ECS tasks of a service that stopped, matched by reason or exit code.
    public struct StoppedTasks: Hashable, Sendable {
        /// The cluster's name.
        public let cluster: String
        /// The service's name.
        public let service: String
        /// Matched against the task's `stoppedReason` or a container's `reason`; nil matches
        /// any reason.
        public let reason: Glob?
        /// A container exit code that matches (137: killed); nil matches any.
        public let exitCode: Int?

        /// Stops of `service` in `cluster` that match `reason` and `exitCode` (both when both).
        public init(cluster: String, service: String, reason: Glob? = nil, exitCode: Int? = nil) {
            self.cluster = cluster
            self.service = service
            self.reason = reason
            self.exitCode = exitCode
        }

        /// Whether a task that stopped for `stoppedReason`, its containers with `containerReasons`
        /// and `exitCodes`, counts.
        public func matches(stoppedReason: String?, containerReasons: [String], exitCodes: [Int]) -> Bool {
            let reasonMatches = reason.map { glob in
                ([stoppedReason].compactMap { $0 } + containerReasons).contains { glob.matches($0) }
            } ?? true
            let exitMatches = exitCode.map { exitCodes.contains($0) } ?? true
            return reasonMatches && exitMatches
        }
    }

    /// An HTTP GET made on its own schedule.
    public struct HTTPProbe: Hashable, Sendable {
        /// The URL probed (http or https).
        public let url: String
        /// The status a healthy answer has.
        public let expectStatus: Int
        /// How long a probe may take.
        public let timeout: TimeSpan
        /// How often a probe is made.
        public let every: TimeSpan

        /// A probe of `url` every `every`, healthy when it answers `expectStatus` within `timeout`.
        public init(url: String, expectStatus: Int = 200, timeout: TimeSpan = TimeSpan(seconds: 2), every: TimeSpan = TimeSpan(seconds: 10)) {
            self.url = url
            self.expectStatus = expectStatus
            self.timeout = timeout
            self.every = every
        }
    }

    /// Events of a log group matching a CloudWatch Logs filter pattern.
    public struct LogEvents: Hashable, Sendable {
        /// The log group's name.
        public let group: String
        /// The filter pattern, in CloudWatch Logs syntax.
        public let pattern: String

        /// Events of `group` that match `pattern`.
        public init(group: String, pattern: String) {
            self.group = group
            self.pattern = pattern
        }
    }

    /// The texts that may hold `${variable}` templates, for fleet policies.
    public var templateTexts: [String] {
        switch self {
        case .cloudWatch: []
        case let .ecsStoppedTasks(stops): [stops.cluster, stops.service]
        case let .httpProbe(probe): [probe.url]
        case let .logEvents(events): [events.group, events.pattern]
        }
    }

    /// This source with every template resolved from `variables`; nil when one is missing.
    public func resolved(with variables: [String: String]) -> SeriesSource? {
        func resolve(_ text: String) -> String? { TemplateText.resolve(text, with: variables) }
        switch self {
        case .cloudWatch:
            return self
        case let .ecsStoppedTasks(stops):
            guard let cluster = resolve(stops.cluster), let service = resolve(stops.service) else { return nil }
            return .ecsStoppedTasks(StoppedTasks(cluster: cluster, service: service, reason: stops.reason, exitCode: stops.exitCode))
        case let .httpProbe(probe):
            guard let url = resolve(probe.url) else { return nil }
            return .httpProbe(HTTPProbe(url: url, expectStatus: probe.expectStatus, timeout: probe.timeout, every: probe.every))
        case let .logEvents(events):
            guard let group = resolve(events.group), let pattern = resolve(events.pattern) else { return nil }
            return .logEvents(LogEvents(group: group, pattern: pattern))
        }
    }
}
