import Foundation
import GRDB
import ReflexCore

extension DecisionStore {
    /// Whether safe mode is on; `fallback` (the config's `safe_mode`) until an operator set it.
    public func safeMode(fallback: Bool) throws -> Bool {
        try pool.read { db in try Self.safeMode(fallback: fallback, in: db) }
    }

    static func safeMode(fallback: Bool, in db: Database) throws -> Bool {
        try String.fetchOne(db, sql: "SELECT value FROM settings WHERE key = 'safe_mode'").map { $0 == "on" } ?? fallback
    }

    /// Switches safe mode and records the change as a decision, in one transaction.
    @discardableResult
    public func setSafeMode(_ on: Bool, at date: Date, by who: String) throws -> Int64 {
        try pool.write { db in
            try db.execute(sql: """
                INSERT INTO settings (key, value, changed_at) VALUES ('safe_mode', ?, ?)
                ON CONFLICT(key) DO UPDATE SET value = excluded.value, changed_at = excluded.changed_at
                """, arguments: [on ? "on" : "off", StoredTime.format(date)])
            return try Self.append(DecisionRecord(at: date, kind: .safeModeChanged, reason: on ? "safe-mode-on" : "safe-mode-off",
                                                  detail: "safe mode switched \(on ? "on" : "off") by \(who)", outcome: on ? "on" : "off"), in: db)
        }
    }

    /// The open circuits (a policy on a target), with when and why.
    public func openCircuits() throws -> [(key: CircuitKey, openedAt: Date, reason: String)] {
        try pool.read { db in try Self.openCircuits(in: db) }
    }

    static func openCircuits(in db: Database) throws -> [(key: CircuitKey, openedAt: Date, reason: String)] {
        try Row.fetchAll(db, sql: "SELECT policy, target, opened_at, reason FROM open_circuits ORDER BY policy, target").map { row in
            (CircuitKey(policy: row["policy"], target: row["target"]), StoredTime.parse(row["opened_at"]) ?? Date(timeIntervalSince1970: 0),
             row["reason"])
        }
    }

    /// Opens the circuit of a policy on a target and records why.
    public func openCircuit(_ key: CircuitKey, at date: Date, reason: String) throws {
        try pool.write { db in
            try db.execute(sql: "INSERT OR REPLACE INTO open_circuits (policy, target, opened_at, reason) VALUES (?, ?, ?, ?)",
                           arguments: [key.policy, key.target, StoredTime.format(date), reason])
            _ = try Self.append(DecisionRecord(at: date, kind: .circuitChanged, policy: key.policy, target: key.target, reason: "circuit-opened",
                                               detail: reason, outcome: "open"), in: db)
        }
    }

    /// Closes `policy`'s circuits (an operator's reset), on `target` only when given, and
    /// records each; returns the targets reset (none when no circuit was open).
    @discardableResult
    public func resetCircuits(policy: String, target: String? = nil, at date: Date, by who: String) throws -> [String] {
        try pool.write { db in
            let targets = try String.fetchAll(db, sql: "SELECT target FROM open_circuits WHERE policy = ? AND (? IS NULL OR target = ?) ORDER BY target",
                                              arguments: [policy, target, target])
            for target in targets {
                try db.execute(sql: "DELETE FROM open_circuits WHERE policy = ? AND target = ?", arguments: [policy, target])
                _ = try Self.append(DecisionRecord(at: date, kind: .circuitChanged, policy: policy, target: target, reason: "circuit-reset",
                                                   detail: "circuit reset by \(who)", outcome: "closed"), in: db)
            }
            return targets
        }
    }

    /// The last `count` verification outcomes of a policy's actions on a target, newest first:
    /// true when the condition resolved in time.
    public func recentVerifications(_ key: CircuitKey, count: Int) throws -> [Bool] {
        try pool.read { db in
            try String.fetchAll(db, sql: """
                SELECT kind FROM decisions WHERE policy = ? AND target = ? AND kind IN ('action-verified', 'action-not-verified')
                ORDER BY id DESC LIMIT ?
                """, arguments: [key.policy, key.target, count]).map { $0 == "action-verified" }
        }
    }
}
