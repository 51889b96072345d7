import Foundation

/// The guardrails that stand between a firing policy and its action, checked in a fixed order
/// so that the recorded reason is always the most fundamental one.
public enum Guardrail {
    /// The first guardrail that holds the action back, or nil when none does. Safe mode and
    /// dry-run are applied later, by `ActionDecision`, after the change has been planned.
    public static func firstHold(for policy: Policy, in context: GuardrailContext) -> HoldReason? {
        guard policy.action != nil else { return .noAction }
        let now = context.now.timeIntervalSince1970
        if let gate = policy.gates.first(where: { !$0.holds(deployedAt: context.deployedAt?.timeIntervalSince1970, now: now) }) {
            return .gate(gate)
        }
        if let gate = policy.gateCondition, context.conditionGateHolds != true { return .conditionGate(gate.text) }
        if context.openCircuits.contains(CircuitKey(policy: policy.name, target: policy.target.id)) { return .circuitOpen }
        if context.targetsInFlight.contains(policy.target.id) { return .actionInFlight }

        let dryRun = policy.mode == .dryRun
        let comparable = context.history.filter { $0.dryRun == dryRun }
        if let cooldown = policy.guardrails.cooldown,
           let last = comparable.filter({ $0.target == policy.target.id }).map(\.at).max() {
            let until = last.addingTimeInterval(Double(cooldown.seconds))
            if context.now < until { return .cooldown(until: until) }
        }
        if let budget = policy.guardrails.maxActionsPerTarget,
           spent(budget, comparable.filter { $0.policy == policy.name && $0.target == policy.target.id }, now: context.now) {
            return .targetBudget(budget)
        }
        if let budget = policy.guardrails.maxActions,
           spent(budget, comparable.filter { $0.policy == policy.name }, now: context.now) {
            return .policyBudget(budget)
        }
        if let budget = context.globalBudget, spent(budget, comparable, now: context.now) {
            return .globalBudget(budget)
        }
        return nil
    }

    private static func spent(_ budget: Budget, _ records: [ActionRecord], now: Date) -> Bool {
        let windowStart = now.addingTimeInterval(-Double(budget.window.seconds))
        return records.filter { $0.at > windowStart && $0.at <= now }.count >= budget.count
    }
}
