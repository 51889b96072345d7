import Foundation

/// An action that the pipeline let through (executed, or in dry-run would have executed):
/// what cooldowns and budgets count.
public struct ActionRecord: Hashable, Sendable, Codable {
    /// The policy that acted.
    public let policy: String
    /// The target's id (`Target.id`).
    public let target: String
    /// When.
    public let at: Date
    /// Whether it was only a dry run. Dry runs count against dry runs only, so that a policy in
    /// dry-run shows exactly what it would do in enforce mode without blocking real actions.
    public let dryRun: Bool

    /// A record of one action.
    public init(policy: String, target: String, at: Date, dryRun: Bool) {
        self.policy = policy
        self.target = target
        self.at = at
        self.dryRun = dryRun
    }
}
