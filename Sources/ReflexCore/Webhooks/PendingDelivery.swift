import Foundation

/// A webhook delivery waiting to be sent (or being retried).
public struct PendingDelivery: Hashable, Sendable {
    /// The outbox row.
    public let id: Int64
    /// Stable across retries: the receiver deduplicates on it.
    public let webhookID: String
    /// The receiver's name.
    public let receiver: String
    /// The event type, e.g. `action.executed`.
    public let event: String
    /// The decision the event reports.
    public let decision: StoredDecision
    /// When the decision is an audit checkpoint, that checkpoint as `reflex audit checkpoint
    /// export` prints it (one line of JSON): the event carries it so that the copy a receiver
    /// keeps is what `reflex audit verify --checkpoint` takes. Nil otherwise.
    public let checkpoint: String?
    /// Attempts made so far.
    public let attempts: Int
    /// When the row was created: the retry horizon counts from here.
    public let createdAt: Date

    /// A delivery, as the outbox reads it back.
    public init(id: Int64, webhookID: String, receiver: String, event: String, decision: StoredDecision, checkpoint: String?,
                attempts: Int, createdAt: Date) {
        self.id = id
        self.webhookID = webhookID
        self.receiver = receiver
        self.event = event
        self.decision = decision
        self.checkpoint = checkpoint
        self.attempts = attempts
        self.createdAt = createdAt
    }
}
