import Foundation
import GRDB
import ReflexCore

extension DecisionStore: WebhookOutbox {
    /// Turns every decision after the outbox cursor into deliveries: `route` names the
    /// receivers and the event type of a decision (none when it is not worth telling); it may
    /// ask for the decision's firing episode (`firingEpisode(of:)`), looked up only when asked.
    /// Returns the number of deliveries created.
    @discardableResult
    public func enqueueDeliveries(
        at date: Date, route: (StoredDecision, _ episode: () throws -> Int64?) throws -> (event: String, receivers: [String])?
    ) throws -> Int {
        try pool.write { db in
            let cursor = try Int64.fetchOne(db, sql: "SELECT decision_id FROM outbox_cursor") ?? 0
            let decisions = try StoredDecision.fetchAll(db, sql: "SELECT * FROM decisions WHERE id > ? ORDER BY id LIMIT 1000", arguments: [cursor])
            var created = 0
            let now = StoredTime.format(date)
            for decision in decisions {
                guard let (event, receivers) = try route(decision, { try Self.firingEpisode(of: decision, in: db) }) else { continue }
                for receiver in receivers {
                    try db.execute(sql: """
                        INSERT OR IGNORE INTO outbox (webhook_id, receiver, decision_id, event, created_at, next_attempt_at)
                        VALUES (?, ?, ?, ?, ?, ?)
                        """, arguments: ["msg_\(decision.id)_\(receiver)", receiver, decision.id, event, now, now])
                    created += db.changesCount
                }
            }
            if let last = decisions.last?.id {
                try db.execute(sql: """
                    INSERT INTO outbox_cursor (singleton, decision_id) VALUES (1, ?)
                    ON CONFLICT(singleton) DO UPDATE SET decision_id = excluded.decision_id
                    """, arguments: [last])
            }
            return created
        }
    }

    /// `receiver`'s oldest pending delivery, if it is due and the receiver is not disabled:
    /// one at a time per receiver keeps each receiver's events in order.
    public func dueDelivery(for receiver: String, at date: Date) throws -> PendingDelivery? {
        try pool.read { db in
            guard let row = try Row.fetchOne(db, sql: """
                SELECT o.* FROM outbox o
                WHERE o.id = (SELECT MIN(p.id) FROM outbox p WHERE p.state = 'pending' AND p.receiver = ?)
                AND NOT EXISTS (SELECT 1 FROM disabled_receivers d WHERE d.receiver = o.receiver)
                AND o.next_attempt_at <= ?
                """, arguments: [receiver, StoredTime.format(date)]),
                let decision = try StoredDecision.fetchOne(db, sql: "SELECT * FROM decisions WHERE id = ?", arguments: [row["decision_id"] as Int64])
            else { return nil }
            return PendingDelivery(id: row["id"], webhookID: row["webhook_id"], receiver: row["receiver"], event: row["event"],
                                   decision: decision, checkpoint: decision.checkpoint?.json, attempts: row["attempts"],
                                   createdAt: StoredTime.parse(row["created_at"]) ?? date)
        }
    }

    /// Records an attempt (status or error, how long it took) and its consequence.
    public func recordAttempt(_ delivery: PendingDelivery, at date: Date, status: Int?, error: String?, durationMilliseconds: Int64,
                              result: DeliveryResult) throws {
        let now = StoredTime.format(date)
        try pool.write { db in
            try db.execute(sql: "INSERT INTO delivery_attempts (outbox_id, attempted_at, status, error, duration_ms) VALUES (?, ?, ?, ?, ?)",
                           arguments: [delivery.id, now, status, error, durationMilliseconds])
            switch result {
            case .delivered:
                try db.execute(sql: "UPDATE outbox SET state = 'delivered', attempts = attempts + 1, last_status = ?, last_error = NULL, delivered_at = ? WHERE id = ?",
                               arguments: [status, now, delivery.id])
            case let .retry(next):
                try db.execute(sql: "UPDATE outbox SET attempts = attempts + 1, last_status = ?, last_error = ?, next_attempt_at = ? WHERE id = ?",
                               arguments: [status, error, StoredTime.format(next), delivery.id])
            case .failed:
                try db.execute(sql: "UPDATE outbox SET state = 'failed', attempts = attempts + 1, last_status = ?, last_error = ? WHERE id = ?",
                               arguments: [status, error, delivery.id])
            case .receiverGone:
                try db.execute(sql: "UPDATE outbox SET state = 'failed', attempts = attempts + 1, last_status = ?, last_error = ? WHERE id = ?",
                               arguments: [status, "receiver gone (HTTP 410)", delivery.id])
                try db.execute(sql: "UPDATE outbox SET state = 'disabled' WHERE receiver = ? AND state = 'pending'", arguments: [delivery.receiver])
                try db.execute(sql: "INSERT OR REPLACE INTO disabled_receivers (receiver, disabled_at, reason) VALUES (?, ?, ?)",
                               arguments: [delivery.receiver, now, "HTTP 410 Gone"])
            }
        }
    }
}

/// One row of `reflex audit deliveries`.
public struct DeliveryRow: Hashable, Sendable {
    public let webhookID: String
    public let receiver: String
    public let decisionID: Int64
    public let event: String
    public let state: String
    public let attempts: Int
    public let lastStatus: Int?
    public let lastError: String?
    public let deliveredAt: String?
}

extension AuditReader {
    /// Deliveries, newest first, optionally of one decision.
    public func deliveries(decision: Int64? = nil, limit: Int) throws -> [DeliveryRow] {
        try database.read { db in
            guard try db.tableExists("outbox") else { return [] }
            return try Row.fetchAll(db, sql: """
                SELECT * FROM outbox WHERE (? IS NULL OR decision_id = ?) ORDER BY id DESC LIMIT ?
                """, arguments: [decision, decision, limit]).map { row in
                DeliveryRow(webhookID: row["webhook_id"], receiver: row["receiver"], decisionID: row["decision_id"], event: row["event"],
                            state: row["state"], attempts: row["attempts"], lastStatus: row["last_status"], lastError: row["last_error"],
                            deliveredAt: row["delivered_at"])
            }
        }
    }
}
