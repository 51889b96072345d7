import Foundation

/// Something people should hear about: a policy fired or resolved, an action was executed,
/// failed, held back, verified or not, a circuit opened.
public struct NotificationEvent: Hashable, Sendable {
    /// What happened, e.g. `action-executed` (a `DecisionKind` raw value, or `fired`/`resolved`).
    public let kind: String
    /// The policy, if any.
    public let policy: String?
    /// The target's id, if any.
    public let target: String?
    /// The decision the event comes from, for `reflex audit show`.
    public let decisionID: Int64?
    /// One line for humans.
    public let summary: String
    /// When it happened.
    public let at: Date
    /// Receivers named by the policy's `notify:`; empty means the daemon's default receivers.
    public let receivers: [String]

    /// An event.
    public init(kind: String, policy: String?, target: String?, decisionID: Int64?, summary: String, at: Date, receivers: [String]) {
        self.kind = kind
        self.policy = policy
        self.target = target
        self.decisionID = decisionID
        self.summary = summary
        self.at = at
        self.receivers = receivers
    }
}

/// The port through which Reflex tells people what happened. Must not block evaluation.
public protocol Notifier: Sendable {
    /// Hands over an event for delivery.
    func notify(_ event: NotificationEvent) async
}
