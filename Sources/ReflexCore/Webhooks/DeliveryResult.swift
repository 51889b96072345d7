import Foundation

/// What became of one delivery attempt.
public enum DeliveryResult: Hashable, Sendable {
    /// The receiver accepted it.
    case delivered
    /// Try again at that time.
    case retry(at: Date)
    /// Give up on this delivery.
    case failed
    /// The receiver is gone (HTTP 410): disable it and every delivery waiting for it.
    case receiverGone
}
