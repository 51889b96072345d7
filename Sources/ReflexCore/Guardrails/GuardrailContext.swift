import Foundation

/// Everything outside the policy that guardrails read, as of one moment.
public struct GuardrailContext: Sendable {
    /// The moment of the decision.
    public var now: Date
    /// Recent actions by every policy, any order.
    public var history: [ActionRecord]
    /// Whether the global kill switch is on.
    public var safeMode: Bool
    /// The daemon-wide budget, if any.
    public var globalBudget: Budget?
    /// Targets with an action in flight.
    public var targetsInFlight: Set<String>
    /// The policy instances whose circuit breaker is open.
    public var openCircuits: Set<CircuitKey>
    /// When the target's newest deployment was made, if known.
    public var deployedAt: Date?
    /// Whether the policy's `when: { condition }` held on the judged period (`Evaluation.gateHolds`).
    public var conditionGateHolds: Bool?

    /// A context; everything but `now` defaults to "nothing known, nothing in the way".
    public init(now: Date, history: [ActionRecord] = [], safeMode: Bool = false, globalBudget: Budget? = nil,
                targetsInFlight: Set<String> = [], openCircuits: Set<CircuitKey> = [], deployedAt: Date? = nil,
                conditionGateHolds: Bool? = nil) {
        self.conditionGateHolds = conditionGateHolds
        self.now = now
        self.history = history
        self.safeMode = safeMode
        self.globalBudget = globalBudget
        self.targetsInFlight = targetsInFlight
        self.openCircuits = openCircuits
        self.deployedAt = deployedAt
    }
}
