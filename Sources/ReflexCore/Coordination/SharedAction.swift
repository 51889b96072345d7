import Foundation

/// An action as every node of a highly available pair sees it: written by the leader with one
/// transaction that also checks the lease, so a deposed leader's intent never lands.
public struct SharedAction: Hashable, Sendable, Codable {
    /// Unique across nodes: the node's name and its local intent id.
    public var key: String
    /// The node that acted.
    public var node: String
    /// The lease epoch it acted under.
    public var epoch: Int
    /// The intent as the acting node recorded it (policy, target, change, evidence).
    public var intent: DecisionRecord
    /// `succeeded`, `failed`, `applied`, `not-applied`...; nil while no outcome is known.
    public var outcome: String?
    /// When the outcome was recorded.
    public var outcomeAt: Date?
    /// Whether the action helped, once its verification is recorded.
    public var verified: Bool?

    /// A shared action.
    public init(key: String, node: String, epoch: Int, intent: DecisionRecord, outcome: String? = nil, outcomeAt: Date? = nil,
                verified: Bool? = nil) {
        self.key = key
        self.node = node
        self.epoch = epoch
        self.intent = intent
        self.outcome = outcome
        self.outcomeAt = outcomeAt
        self.verified = verified
    }

    /// The key of the action a node recorded as intent `id`.
    public static func key(node: String, intentID: Int64) -> String { "\(node)/\(intentID)" }

    /// What cooldowns and budgets count.
    public var record: ActionRecord? {
        guard let policy = intent.policy, let target = intent.target else { return nil }
        return ActionRecord(policy: policy, target: target, at: intent.at, dryRun: false)
    }
}
