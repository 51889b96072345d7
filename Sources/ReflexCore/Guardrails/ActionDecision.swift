/// What the pipeline does with a firing policy's action.
public enum ActionDecision: Hashable, Sendable {
    /// Make the change on AWS.
    case act(PlannedChange)
    /// The policy is in dry-run: record the change it would make, make none.
    case dryRun(PlannedChange)
    /// The policy is in approve mode: ask a person to approve the change, make none yet.
    case requestApproval(PlannedChange)
    /// Hold the action back, for this reason; `change` is what it would have done, if known.
    case hold(HoldReason, change: PlannedChange?)

    /// Runs guardrails, plans the change against `snapshot`, then applies safe mode, dry-run and
    /// approve mode; `approved` when a person approved the change (approve mode then acts).
    public static func decide(_ policy: Policy, context: GuardrailContext, snapshot: TargetSnapshot, approved: Bool = false) -> ActionDecision {
        if let reason = Guardrail.firstHold(for: policy, in: context) { return .hold(reason, change: nil) }
        guard let action = policy.action else { return .hold(.noAction, change: nil) }
        switch ActionPlanner.plan(action, on: snapshot) {
        case let .failure(reason):
            return .hold(reason, change: nil)
        case let .success(change):
            if context.safeMode { return .hold(.safeMode, change: change) }
            switch policy.mode {
            case .dryRun: return .dryRun(change)
            case .approve: return approved ? .act(change) : .requestApproval(change)
            case .enforce: return .act(change)
            }
        }
    }

    /// A short code: `executed`, `dry-run`, `approval-requested` or `held`.
    public var code: String {
        switch self {
        case .act: "executed"
        case .dryRun: "dry-run"
        case .requestApproval: "approval-requested"
        case .hold: "held"
        }
    }
}
