/// Whether a policy acts on AWS, asks a person first, or only records what it would have done.
public enum PolicyMode: String, Hashable, Sendable, CaseIterable {
    case dryRun = "dry-run"
    /// Prepares the exact change and acts only once a person approves it (`reflex approve`).
    case approve
    case enforce
}

/// How periods without data count, following CloudWatch alarms' four modes.
public enum MissingDataMode: String, Hashable, Sendable, CaseIterable {
    /// Missing periods are not counted; a window with no data at all is insufficient-data.
    case missing
    /// Missing periods are not counted; when they leave the outcome open the state is kept.
    case ignore
    /// Missing periods count as breaching.
    case breaching
    /// Missing periods count as not breaching.
    case notBreaching = "not-breaching"
}

/// How many of the trailing periods must breach for the policy to fire.
public struct BreachWindow: Hashable, Sendable, CustomStringConvertible {
    /// Breaching periods needed.
    public let required: Int
    /// Periods looked at.
    public let periods: Int

    /// The most periods a window may span, in a breach window or a window function: enough
    /// for a week of minutes, and a bound on the work one evaluation does.
    public static let largest = 10_080

    /// `M of N` periods.
    public init(required: Int, of periods: Int) {
        self.required = required
        self.periods = periods
    }

    public var description: String { "\(required) of \(periods)" }
}

/// A validated remediation policy: what to watch, when it is a problem, and what to do.
public struct Policy: Hashable, Sendable {
    /// Unique name across all policy files, `[a-z0-9-]+`.
    public let name: String
    /// What the policy is for, in the operator's words.
    public let description: String?
    /// The runbook section the policy automates; copied into the audit log.
    public let runbook: String?
    /// Dry-run (the default), approve or enforce.
    public let mode: PolicyMode
    /// In approve mode, how long a request for approval can be answered.
    public let approvalExpires: TimeSpan
    /// The named metric queries the expressions read, in file order.
    public internal(set) var metrics: [NamedMetric]
    /// When the policy is breaching.
    public let condition: Expression
    /// When a firing policy returns to ok; nil means when the condition stops holding.
    public let resolve: Expression?
    /// How many breaching periods fire the policy.
    public let window: BreachWindow
    /// How missing periods count.
    public let missingData: MissingDataMode
    /// The period every metric of the policy is read at.
    public let period: TimeSpan
    /// How long after a period ends before it is judged, because CloudWatch publishes late.
    public let settleDelay: TimeSpan
    /// Deployment gates that must hold before acting.
    public let gates: [DeploymentGate]
    /// An expression over the policy's series that must hold on the judged period before acting.
    public let gateCondition: ConditionGate?
    /// What the action applies to. For a fleet policy as written, the selector's template
    /// target (`dynamodb:${table}`); each instance holds the resource it was made for.
    public internal(set) var target: Target
    /// The accounts and regions the policy covers, each an instance of it (a fleet policy
    /// discovers its members in each); `[.home]` for the daemon's own.
    public let scopes: [Scope]
    /// For a fleet policy, which resources it covers; nil for a policy over one named target.
    public let selector: TargetSelector?
    /// The action, or nil to only notify.
    public let action: Action?
    /// The policy's own guardrails.
    public let guardrails: Guardrails
    /// Receivers to notify, by name from the daemon config.
    public let notify: [String]
    /// How long after an action the condition has to resolve for the action to count as
    /// having helped.
    public let verifyWithin: TimeSpan

    /// A policy from already validated parts; the policy file reader is the usual source.
    public init(
        name: String, description: String? = nil, runbook: String? = nil, mode: PolicyMode = .dryRun,
        metrics: [NamedMetric], condition: Expression, resolve: Expression? = nil,
        window: BreachWindow = BreachWindow(required: 1, of: 1), missingData: MissingDataMode = .missing,
        period: TimeSpan, settleDelay: TimeSpan? = nil, gates: [DeploymentGate] = [], gateCondition: ConditionGate? = nil,
        target: Target, scopes: [Scope] = [.home], selector: TargetSelector? = nil,
        action: Action? = nil, guardrails: Guardrails = Guardrails(), notify: [String] = [], verifyWithin: TimeSpan? = nil,
        approvalExpires: TimeSpan = .minutes(15)
    ) {
        self.name = name
        self.description = description
        self.runbook = runbook
        self.mode = mode
        self.approvalExpires = approvalExpires
        self.metrics = metrics
        self.condition = condition
        self.resolve = resolve
        self.window = window
        self.missingData = missingData
        self.period = period
        self.settleDelay = settleDelay ?? period
        self.gates = gates
        self.gateCondition = gateCondition
        self.target = target
        self.scopes = scopes
        self.selector = selector
        self.action = action
        self.guardrails = guardrails
        self.notify = notify
        // Default: three times the breach window, so a fix has time to show in the metrics.
        self.verifyWithin = verifyWithin ?? period * (window.periods * 3)
    }

    /// The query behind a metric name, if the policy defines it.
    public func query(named name: String) -> MetricQuery? {
        metrics.first { $0.name == name }?.query
    }

    /// How many periods before the newest judged one the evaluation reads: the breach window
    /// plus the longest look-back of any window function.
    public var lookbackPeriods: Int {
        let expressionLookback = max(condition.lookbackPeriods(period: period), resolve?.lookbackPeriods(period: period) ?? 0)
        return window.periods - 1 + expressionLookback
    }
}
