import Foundation

/// What the decision log holds for the guardrails at a moment: recent actions, the kill
/// switch, open circuits and actions in flight, read by `reflex plan` so that it holds what
/// the daemon would hold. (The daemon's pipeline reads the same from its ledger at each
/// decision, with the targets it has in flight in memory.)
public struct LoggedGuardrails: Sendable {
    /// The actions (intents and dry runs) since the longest look-back of the policies judged.
    public var history: [ActionRecord]
    /// Whether safe mode is on.
    public var safeMode: Bool
    /// The policy instances whose circuit breaker is open.
    public var openCircuits: Set<CircuitKey>
    /// Targets with an intent and no outcome yet.
    public var targetsInFlight: Set<String>
    /// The newest approval request of each approve-mode policy instance, open or recently closed.
    public var approvals: [CircuitKey: ApprovalRequest]

    /// The log's guardrail state; `approvals` oldest first.
    public init(history: [ActionRecord], safeMode: Bool, openCircuits: Set<CircuitKey>, targetsInFlight: Set<String>,
                approvals: [ApprovalRequest] = []) {
        self.history = history
        self.safeMode = safeMode
        self.openCircuits = openCircuits
        self.targetsInFlight = targetsInFlight
        self.approvals = ApprovalRequest.newestByInstance(approvals)
    }

    /// The context for a decision at `now` under the daemon-wide `globalBudget`.
    public func context(now: Date, globalBudget: Budget?, deployedAt: Date?, conditionGateHolds: Bool?) -> GuardrailContext {
        GuardrailContext(now: now, history: history, safeMode: safeMode, globalBudget: globalBudget, targetsInFlight: targetsInFlight,
                         openCircuits: openCircuits, deployedAt: deployedAt, conditionGateHolds: conditionGateHolds)
    }
}

extension Policy {
    /// How far back the guardrails look for this policy: the longest of its cooldown, its
    /// budgets and the daemon-wide budget; an hour when there is none.
    public func guardrailLookback(globalBudget: Budget?) -> TimeSpan {
        [guardrails.cooldown, guardrails.maxActions?.window, guardrails.maxActionsPerTarget?.window, globalBudget?.window].compactMap { $0 }.max()
            ?? .hours(1)
    }
}
