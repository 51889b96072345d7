import Foundation
import GRDB
import ReflexCore

/// A receiver as the outbox sees it, for `reflex receivers`.
public struct ReceiverState: Hashable, Sendable {
    /// The receiver's name.
    public let name: String
    /// When it was disabled (it answered HTTP 410), if it is.
    public let disabledAt: Date?
    /// Why it was disabled, if it is.
    public let disabledReason: String?
    /// Deliveries waiting to be sent, those held while it is disabled among them.
    public let pending: Int
    /// Deliveries given up on.
    public let failed: Int
}

/// Which deliveries `reflex audit redeliver` queues again.
public enum Redelivery: Sendable {
    /// Every delivery of one decision.
    case decision(Int64)
    /// Every delivery that failed for good.
    case failed
}

extension AuditReader {
    /// The state of each receiver in `names`, in that order.
    public func receiverStates(_ names: [String]) throws -> [ReceiverState] {
        try database.read { db in
            // A log written before webhooks existed has no outbox: nothing was ever sent.
            guard try db.tableExists("outbox") else {
                return names.map { ReceiverState(name: $0, disabledAt: nil, disabledReason: nil, pending: 0, failed: 0) }
            }
            return try names.map { name in
                let disabled = try Row.fetchOne(db, sql: "SELECT disabled_at, reason FROM disabled_receivers WHERE receiver = ?", arguments: [name])
                let counts = try Row.fetchOne(db, sql: """
                    SELECT COALESCE(SUM(state IN ('pending', 'disabled')), 0) AS pending, COALESCE(SUM(state = 'failed'), 0) AS failed
                    FROM outbox WHERE receiver = ?
                    """, arguments: [name])
                return ReceiverState(name: name, disabledAt: disabled.flatMap { StoredTime.parse($0["disabled_at"]) },
                                     disabledReason: disabled?["reason"], pending: counts?["pending"] ?? 0, failed: counts?["failed"] ?? 0)
            }
        }
    }
}

extension DecisionStore {
    /// Enables `receiver` again after a 410 disabled it: what the 410 held back (the delivery
    /// that got it, every one waiting then, and those queued since) is due at once. Returns
    /// the deliveries waiting to be sent, or nil when the receiver was not disabled.
    public func enableReceiver(_ receiver: String, at date: Date) throws -> Int? {
        try pool.write { db in
            try db.execute(sql: "DELETE FROM disabled_receivers WHERE receiver = ?", arguments: [receiver])
            guard db.changesCount > 0 else { return nil }
            try db.execute(sql: """
                UPDATE outbox SET state = 'pending', next_attempt_at = ?
                WHERE receiver = ? AND (state = 'disabled' OR (state = 'failed' AND last_status = 410))
                """, arguments: [StoredTime.format(date), receiver])
            return try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM outbox WHERE receiver = ? AND state = 'pending'", arguments: [receiver]) ?? 0
        }
    }

    /// Queues `which` deliveries (of `receiver` only, when given) again, due at once: a new
    /// attempt under the same `webhook-id`, so that receivers can deduplicate. The retry
    /// horizon starts again from now (`created_at` becomes the time it was queued again).
    /// Returns the rows queued, as `(webhook id, receiver)`.
    public func redeliver(_ which: Redelivery, receiver: String?, at date: Date) throws -> [(webhookID: String, receiver: String)] {
        let (condition, arguments): (String, StatementArguments) = switch which {
        case let .decision(id): ("decision_id = ?", [id])
        case .failed: ("state = 'failed'", [])
        }
        let now = StoredTime.format(date)
        return try pool.write { db in
            let rows = try Row.fetchAll(db, sql: "SELECT id, webhook_id, receiver FROM outbox WHERE \(condition) AND (? IS NULL OR receiver = ?) ORDER BY id",
                                        arguments: arguments + [receiver, receiver])
            for row in rows {
                try db.execute(sql: "UPDATE outbox SET state = 'pending', next_attempt_at = ?, created_at = ? WHERE id = ?",
                               arguments: [now, now, row["id"] as Int64])
            }
            return rows.map { ($0["webhook_id"], $0["receiver"]) }
        }
    }
}
