import Foundation

/// Why an action that a firing policy wanted was not taken. Every hold is recorded with its
/// reason, so the audit log says what was held back and why.
public enum HoldReason: Error, Hashable, Sendable {
    /// The policy has no action: it only notifies.
    case noAction
    /// A deployment gate does not hold (or the deployment time is unknown).
    case gate(DeploymentGate)
    /// The `when: { condition }` gate (written as here) did not hold on the judged period, or
    /// could not be judged.
    case conditionGate(String)
    /// The policy's circuit breaker is open after actions that did not help.
    case circuitOpen
    /// Another action on the same target is still in flight.
    case actionInFlight
    /// The target was acted on too recently.
    case cooldown(until: Date)
    /// The policy's own budget is spent (for a fleet, by all its instances together).
    case policyBudget(Budget)
    /// The budget of this target under the policy is spent.
    case targetBudget(Budget)
    /// The daemon-wide budget is spent.
    case globalBudget(Budget)
    /// The action would change nothing, or only past its bounds.
    case noChange(String)
    /// Safe mode is on: every policy acts as in dry-run.
    case safeMode
    /// The target's current state could not be read, so no change can be planned (fail closed).
    case targetUnreadable(String)
    /// An approve-mode policy's request for this change is waiting for an answer.
    case approvalPending(until: Date)
    /// This node does not lead (it is a standby, or its lease is not fresh): only the leader
    /// of a highly available pair acts.
    case notLeader(String)

    /// A stable short code, used in policy tests, logs and the audit log.
    public var code: String {
        switch self {
        case .noAction: "no-action"
        case .gate, .conditionGate: "gate"
        case .circuitOpen: "circuit-open"
        case .actionInFlight: "in-flight"
        case .cooldown: "cooldown"
        case .policyBudget: "policy-budget"
        case .targetBudget: "target-budget"
        case .globalBudget: "global-budget"
        case .noChange: "no-change"
        case .safeMode: "safe-mode"
        case .targetUnreadable: "target-unreadable"
        case .approvalPending: "approval-pending"
        case .notLeader: "not-leader"
        }
    }

    /// Every code a policy test can expect (`not-leader` depends on the pair, not the policy).
    public static let allCodes = ["no-action", "gate", "circuit-open", "in-flight", "cooldown", "policy-budget", "target-budget",
                                  "global-budget", "no-change", "safe-mode", "target-unreadable", "approval-pending"]

    /// A one-line explanation for humans.
    public var summary: String {
        switch self {
        case .noAction: "the policy has no action"
        case let .gate(gate): "gate \(gate) does not hold"
        case let .conditionGate(text): "gate condition '\(text)' does not hold on the judged period"
        case .circuitOpen: "circuit breaker open"
        case .actionInFlight: "another action on the target is in flight"
        case let .cooldown(until): "target in cooldown until \(until.formatted(.iso8601))"
        case let .policyBudget(budget): "policy budget of \(budget) spent"
        case let .targetBudget(budget): "per-target budget of \(budget) spent"
        case let .globalBudget(budget): "global budget of \(budget) spent"
        case let .noChange(why): "no change: \(why)"
        case .safeMode: "safe mode is on"
        case let .targetUnreadable(why): "target unreadable: \(why)"
        case let .approvalPending(until): "waiting for approval until \(until.formatted(.iso8601))"
        case let .notLeader(why): "not the leader: \(why)"
        }
    }
}
