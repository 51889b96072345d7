import Foundation

/// One policy unit test: synthetic series and facts, and what the policies must decide at
/// given moments.
public struct PolicyTestCase: Sendable {
    /// The test's name.
    public let name: String
    /// The moment series values start and offsets count from.
    public let start: Date
    /// How often the policies are evaluated; nil means every policy's shortest period.
    public let step: TimeSpan?
    /// Values by metric name, one per period of the metric, starting at `start`; nil is missing.
    /// Policies over one target read these; fleet instances read their own.
    public let series: [String: [Double?]]
    /// When the target's newest deployment was made, as an offset from `start`.
    public let deployedAt: TimeSpan?
    /// Every single target's state before the first step.
    public let snapshot: TargetSnapshot
    /// The resources offered to fleet policies' selectors; nil in a test of policies over
    /// one target only.
    public let instances: [PolicyTestInstance]?
    /// Whether safe mode is on.
    public let safeMode: Bool
    /// The daemon-wide budget.
    public let globalBudget: Budget?
    /// What must be true at given moments.
    public let expectations: [PolicyExpectation]

    /// A test case.
    public init(name: String, start: Date, step: TimeSpan?, series: [String: [Double?]], deployedAt: TimeSpan?,
                snapshot: TargetSnapshot, instances: [PolicyTestInstance]? = nil, safeMode: Bool, globalBudget: Budget?,
                expectations: [PolicyExpectation]) {
        self.name = name
        self.start = start
        self.step = step
        self.series = series
        self.deployedAt = deployedAt
        self.snapshot = snapshot
        self.instances = instances
        self.safeMode = safeMode
        self.globalBudget = globalBudget
        self.expectations = expectations
    }
}

/// What one policy must have decided at one moment of a test. Unset fields are not checked.
public struct PolicyExpectation: Sendable {
    /// The kind of action outcome expected.
    public enum Outcome: String, Sendable, CaseIterable {
        /// The action was executed.
        case executed
        /// The action would have been executed, but the policy is in dry-run.
        case dryRun = "dry-run"
        /// The policy is in approve mode and asked a person to approve the change.
        case approvalRequested = "approval-requested"
        /// A guardrail held the action back.
        case held
        /// The policy was not firing, so nothing was decided.
        case none
    }

    /// The offset from the test's start.
    public let at: TimeSpan
    /// The policy; nil when the test file has a single policy.
    public let policy: String?
    /// For a fleet policy, the instance (its resource name); nil when the test has only one.
    public let instance: String?
    /// Whether the instance was evaluated at all: false asserts that the selector leaves it
    /// out (or that there is no evaluation at that moment). Nil is not checked.
    public let evaluated: Bool?
    /// The state expected.
    public let state: PolicyStatus?
    /// The action outcome expected.
    public let outcome: Outcome?
    /// The hold reason code expected (`HoldReason.code`).
    public let heldBy: String?
    /// The number of actions (executed or dry-run) the policy took up to this moment; for a
    /// fleet, this instance's own.
    public let actionsSoFar: Int?
    /// The target's expected state after this step; only the fields set are compared.
    public let target: TargetSnapshot?
    /// What the action's planned change would set (executed, dry-run, or held with a change
    /// planned, as in safe mode), as target fields; only the fields set are compared.
    public let change: TargetSnapshot?
    /// Where the expectation is written, for failure messages.
    public let line: Int

    /// An expectation.
    public init(at: TimeSpan, policy: String?, instance: String? = nil, evaluated: Bool? = nil, state: PolicyStatus?,
                outcome: Outcome?, heldBy: String?, actionsSoFar: Int?, target: TargetSnapshot?, change: TargetSnapshot? = nil, line: Int) {
        self.at = at
        self.policy = policy
        self.instance = instance
        self.evaluated = evaluated
        self.state = state
        self.outcome = outcome
        self.heldBy = heldBy
        self.actionsSoFar = actionsSoFar
        self.target = target
        self.change = change
        self.line = line
    }
}
