import Foundation

/// What stands between a decision to act and the AWS call when nodes run as a highly
/// available pair: only the leader acts, and only with an intent every node can see.
public protocol ActionFence: Sendable {
    /// Why this node may not act now (a standby, a lease not fresh, a takeover not reconciled
    /// yet, shared state unreadable); nil when it may.
    func refusal() async -> String?
    /// Makes the intent recorded locally as `id` visible to every node, in one write that holds
    /// only while this node leads. Throws `FenceRefusal` when no action may follow.
    func admit(_ intent: DecisionRecord, id: Int64) async throws
}

/// Why an intent was not admitted: no AWS call may follow it.
public struct FenceRefusal: Error, CustomStringConvertible, Sendable {
    /// Why. Whether the intent reached the shared state anyway is the fence's to know: it
    /// records the outcome there when it did.
    public let reason: String

    /// A refusal.
    public init(reason: String) {
        self.reason = reason
    }

    public var description: String { reason }
}

/// The outcome recorded for an intent the fence refused: no AWS call was made.
public enum FenceOutcome {
    /// Recorded as the outcome of such an intent.
    public static let notAttempted = "not-attempted"
}
