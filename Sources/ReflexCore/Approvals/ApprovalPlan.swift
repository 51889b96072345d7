import Foundation

/// What an approve-mode policy asks a person to approve: the exact change, the state of the
/// target it was planned against, and until when it can be approved. Stored as the JSON
/// `parameters` of the `approval-requested` decision.
public struct ApprovalPlan: Hashable, Sendable, Codable {
    /// The change the action would make.
    public let change: PlannedChange
    /// The target as read when the change was planned.
    public let plannedAgainst: TargetSnapshot
    /// After this moment the request can no longer be approved.
    public let expiresAt: Date
    /// A digest of `change` and `plannedAgainst` together: an approval is for this digest, and
    /// a change planned anew on the target must have the same one to be made.
    public let digest: String

    /// A plan; `digest` is computed by the caller over `change` and `plannedAgainst`.
    public init(change: PlannedChange, plannedAgainst: TargetSnapshot, expiresAt: Date, digest: String) {
        self.change = change
        self.plannedAgainst = plannedAgainst
        self.expiresAt = expiresAt
        self.digest = digest
    }

    enum CodingKeys: String, CodingKey {
        case change
        case plannedAgainst = "planned_against"
        case expiresAt = "expires_at"
        case digest
    }
}
