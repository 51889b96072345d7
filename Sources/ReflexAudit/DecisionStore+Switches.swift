import Foundation
import GRDB
import ReflexCore

extension DecisionStore {
    /// Whether safe mode is on; `fallback` (the config's `safe_mode`) until an operator set it.
    public func safeMode(fallback: Bool) throws -> Bool {
        try pool.read { db in
            try String.fetchOne(db, sql: "SELECT value FROM settings WHERE key = 'safe_mode'").map { $0 == "on" } ?? fallback
        }
    }

    /// Switches safe mode and records the change as a decision, in one transaction.
    @discardableResult
    public func setSafeMode(_ on: Bool, at date: Date, by who: String) throws -> Int64 {
        try pool.write { db in
            try db.execute(sql: """
                INSERT INTO settings (key, value, changed_at) VALUES ('safe_mode', ?, ?)
                ON CONFLICT(key) DO UPDATE SET value = excluded.value, changed_at = excluded.changed_at
                """, arguments: [on ? "on" : "off", AuditTime.format(date)])
            return try Self.append(DecisionRecord(at: date, kind: .safeModeChanged, reason: on ? "safe-mode-on" : "safe-mode-off",
                                                  detail: "safe mode switched \(on ? "on" : "off") by \(who)", outcome: on ? "on" : "off"), in: db)
        }
    }

    /// Policies whose circuit breaker is open, with when and why.
    public func openCircuits() throws -> [(policy: String, openedAt: Date, reason: String)] {
        try pool.read { db in
            try Row.fetchAll(db, sql: "SELECT policy, opened_at, reason FROM open_circuits ORDER BY policy").map { row in
                (row["policy"], AuditTime.parse(row["opened_at"]) ?? Date(timeIntervalSince1970: 0), row["reason"])
            }
        }
    }

    /// Opens `policy`'s circuit and records why.
    public func openCircuit(policy: String, at date: Date, reason: String) throws {
        try pool.write { db in
            try db.execute(sql: "INSERT OR REPLACE INTO open_circuits (policy, opened_at, reason) VALUES (?, ?, ?)",
                           arguments: [policy, AuditTime.format(date), reason])
            _ = try Self.append(DecisionRecord(at: date, kind: .circuitChanged, policy: policy, reason: "circuit-opened", detail: reason,
                                               outcome: "open"), in: db)
        }
    }

    /// Closes `policy`'s circuit (an operator's reset) and records it; false if it was not open.
    @discardableResult
    public func resetCircuit(policy: String, at date: Date, by who: String) throws -> Bool {
        try pool.write { db in
            try db.execute(sql: "DELETE FROM open_circuits WHERE policy = ?", arguments: [policy])
            guard db.changesCount > 0 else { return false }
            _ = try Self.append(DecisionRecord(at: date, kind: .circuitChanged, policy: policy, reason: "circuit-reset",
                                               detail: "circuit reset by \(who)", outcome: "closed"), in: db)
            return true
        }
    }

    /// The last `count` verification outcomes of `policy`'s actions, newest first: true when
    /// the condition resolved in time.
    public func recentVerifications(policy: String, count: Int) throws -> [Bool] {
        try pool.read { db in
            try String.fetchAll(db, sql: """
                SELECT kind FROM decisions WHERE policy = ? AND kind IN ('action-verified', 'action-not-verified')
                ORDER BY id DESC LIMIT ?
                """, arguments: [policy, count]).map { $0 == "action-verified" }
        }
    }
}
