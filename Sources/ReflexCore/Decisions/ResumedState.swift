import Foundation

/// A policy instance's newest recorded state: where a restart resumes it from.
public struct RecordedState: Hashable, Sendable {
    /// The policy's name.
    public let policy: String
    /// The instance's target id.
    public let target: String
    /// The state it was last recorded in.
    public let state: PolicyStatus
    /// The hash of the policy's text when it was recorded; a policy changed since starts afresh.
    public let policyHash: String?

    /// A recorded state.
    public init(policy: String, target: String, state: PolicyStatus, policyHash: String?) {
        self.policy = policy
        self.target = target
        self.state = state
        self.policyHash = policyHash
    }
}

/// An action that was executed but whose verification is not recorded: a restart goes on
/// verifying it.
public struct UnverifiedAction: Hashable, Sendable {
    /// The policy's name.
    public let policy: String
    /// The target acted on.
    public let target: String
    /// The intent's decision id, which the verification record links to.
    public let intentID: Int64
    /// When the action's outcome was recorded: its verification window starts there.
    public let executedAt: Date

    /// An unverified action.
    public init(policy: String, target: String, intentID: Int64, executedAt: Date) {
        self.policy = policy
        self.target = target
        self.intentID = intentID
        self.executedAt = executedAt
    }
}
