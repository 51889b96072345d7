import Foundation

/// A request for approval made by an approve-mode policy, as the decision log holds it.
public struct ApprovalRequest: Hashable, Sendable {
    /// Where a request stands.
    public enum State: Hashable, Sendable {
        /// Not answered yet (it may have expired without the daemon having recorded it).
        case pending
        /// Approved by `by` at `at`, and not yet acted on by the daemon.
        case approved(by: String, at: Date)
        /// Denied, expired, stale, held or acted on: nothing more comes of it.
        case closed(at: Date)
    }

    /// The id of the `approval-requested` decision, which `reflex approve` takes.
    public let id: Int64
    /// The policy that asked.
    public let policy: String
    /// The target's id.
    public let target: String
    /// When it was asked.
    public let requestedAt: Date
    /// The change, the state it was planned against and the expiry.
    public let plan: ApprovalPlan
    /// Where it stands.
    public let state: State

    /// A request as read from the log.
    public init(id: Int64, policy: String, target: String, requestedAt: Date, plan: ApprovalPlan, state: State) {
        self.id = id
        self.policy = policy
        self.target = target
        self.requestedAt = requestedAt
        self.plan = plan
        self.state = state
    }

    /// The policy instance that asked.
    public var key: CircuitKey { CircuitKey(policy: policy, target: target) }

    /// The newest of `requests` for each policy instance.
    public static func newestByInstance(_ requests: [ApprovalRequest]) -> [CircuitKey: ApprovalRequest] {
        Dictionary(requests.map { ($0.key, $0) }, uniquingKeysWith: { one, other in one.id < other.id ? other : one })
    }
}

extension Policy {
    /// When an approve-mode policy may ask again after its previous request closed at
    /// `closedAt` (denied, expired, stale): once its cooldown has passed, at once without one.
    public func nextApprovalRequest(after closedAt: Date) -> Date {
        closedAt.addingTimeInterval(Double(guardrails.cooldown?.seconds ?? 0))
    }

    /// What this approve-mode policy does at `now` with a `change` the guardrails let through,
    /// given its `newest` request: ask, wait for the answer, act on the approval, or wait out
    /// its cooldown after a closed request.
    public func approvalStep(newest: ApprovalRequest?, change: PlannedChange, now: Date) -> ActionDecision {
        guard let newest else { return .requestApproval(change) }
        switch newest.state {
        case .pending where now <= newest.plan.expiresAt:
            return .hold(.approvalPending(until: newest.plan.expiresAt), change: change)
        case .approved:
            return .act(change)
        case let .closed(closedAt) where now < nextApprovalRequest(after: closedAt):
            return .hold(.cooldown(until: nextApprovalRequest(after: closedAt)), change: change)
        default:
            return .requestApproval(change)
        }
    }
}
