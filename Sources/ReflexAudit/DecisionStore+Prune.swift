import Foundation
import GRDB
import ReflexCore

extension DecisionStore {
    /// Removes the oldest decisions recorded before `date` (the unbroken run of them from the
    /// start of the log), keeps the chain verifiable by anchoring it to the last removed hash,
    /// and records the prune itself as a decision. Returns how many rows were removed.
    @discardableResult
    public func prune(before date: Date, now: Date) throws -> Int {
        try pool.write { db in
            let cutoff = StoredTime.format(date)
            let firstKept = try Int64.fetchOne(db, sql: "SELECT MIN(id) FROM decisions WHERE recorded_at >= ?", arguments: [cutoff])
            let lastRemoved: Row? = try Row.fetchOne(db, sql: """
                SELECT id, hash FROM decisions WHERE id < COALESCE(?, (SELECT MAX(id) + 1 FROM decisions))
                ORDER BY id DESC LIMIT 1
                """, arguments: [firstKept])
            guard let lastRemoved else { return 0 }
            let lastID: Int64 = lastRemoved["id"]
            let lastHash: String = lastRemoved["hash"]
            let removed = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM decisions WHERE id <= ?", arguments: [lastID]) ?? 0
            let earlier = try Int.fetchOne(db, sql: "SELECT pruned_rows FROM chain_anchor") ?? 0
            try db.execute(sql: "INSERT INTO prune_in_progress (singleton) VALUES (1)")
            try db.execute(sql: "DELETE FROM decisions WHERE id <= ?", arguments: [lastID])
            try db.execute(sql: "DELETE FROM prune_in_progress")
            try db.execute(sql: """
                INSERT INTO chain_anchor (singleton, first_id, prev_hash, pruned_rows) VALUES (1, ?, ?, ?)
                ON CONFLICT(singleton) DO UPDATE SET first_id = excluded.first_id, prev_hash = excluded.prev_hash,
                    pruned_rows = excluded.pruned_rows
                """, arguments: [lastID + 1, lastHash, earlier + removed])
            _ = try Self.append(DecisionRecord(
                at: now, kind: .pruned, reason: "retention",
                detail: "removed \(removed) decisions recorded before \(cutoff) (ids up to \(lastID)); the chain continues from hash \(lastHash)"),
                in: db)
            return removed
        }
    }
}
