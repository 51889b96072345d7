import Foundation

/// The port through which webhooks are delivered from the decision log: a durable outbox that
/// turns decisions into deliveries, hands each receiver its oldest due one, and records every
/// attempt. Everything lives in the outbox, so a restart resumes where delivery stopped.
public protocol WebhookOutbox: Sendable {
    /// Turns every decision logged since the last call into deliveries: `route` names the
    /// receivers and the event type of a decision (nil when it is not worth telling); it may
    /// ask for the decision's firing episode (`firingEpisode(of:)`), looked up only when asked.
    /// Returns the number of deliveries created.
    @discardableResult
    func enqueueDeliveries(
        at date: Date, route: (StoredDecision, _ episode: () throws -> Int64?) throws -> (event: String, receivers: [String])?
    ) throws -> Int

    /// `receiver`'s oldest pending delivery, if it is due at `date` and the receiver is not
    /// disabled: one at a time per receiver keeps each receiver's events in order.
    func dueDelivery(for receiver: String, at date: Date) throws -> PendingDelivery?

    /// Records an attempt at `date` (the receiver's `status` or the `error`, how long it took)
    /// and its consequence `result`.
    func recordAttempt(_ delivery: PendingDelivery, at date: Date, status: Int?, error: String?, durationMilliseconds: Int64,
                       result: DeliveryResult) throws

    /// The firing episode `decision` belongs to, named by the id of the state change that
    /// opened it; nil when none is open. The answer never changes once the decision is logged,
    /// so every event of one episode names the same one.
    func firingEpisode(of decision: StoredDecision) throws -> Int64?
}
