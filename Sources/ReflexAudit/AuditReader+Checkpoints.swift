import Foundation
import GRDB
import ReflexCore

extension AuditReader {
    /// The checkpoints in the log, oldest first (rows whose `parameters` do not read as one are
    /// left out here; `verifyCheckpoints` reports them).
    public func checkpoints() throws -> [Checkpoint] {
        try database.read { db in try Self.checkpointRows(db).compactMap(\.checkpoint) }
    }

    /// Checkpoint `id`, or the newest when nil.
    public func checkpoint(id: Int64?) throws -> Checkpoint {
        let all = try checkpoints()
        guard let found = id.map({ id in all.first { $0.id == id } }) ?? all.last else {
            throw AuditError(.notFound, id.map { "no checkpoint with id \($0)" } ?? "the decision log holds no checkpoint")
        }
        return found
    }

    private static func checkpointRows(_ db: Database) throws -> [StoredDecision] {
        try StoredDecision.fetchAll(db, sql: "SELECT * FROM decisions WHERE kind = ? ORDER BY id", arguments: [DecisionKind.auditCheckpoint.rawValue])
    }

    /// Checks every checkpoint's signature with the one of `keys` it names (several across a
    /// key change), that each follows the one before, and
    /// that the chain still passes through the head each one signed; with `exported` (a copy
    /// kept off the host), also that the log still holds everything up to it, unchanged. Run
    /// after `verify()`, which checks the chain itself.
    public func verifyCheckpoints(with keys: [AuditPublicKey], exported: Checkpoint?) throws -> CheckpointVerification {
        let byID = Dictionary(keys.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        let given = keys.map(\.id).joined(separator: ", ")
        return try database.read { db in
            let prunedBefore = try Int64.fetchOne(db, sql: "SELECT first_id FROM chain_anchor") ?? 1
            // The newest signed head the chain still passes through: a rewrite lies after it.
            var lastGood: Int64?
            var previous: Checkpoint?
            var count = 0
            for row in try Self.checkpointRows(db) {
                guard let checkpoint = row.checkpoint else {
                    return .broken(id: row.id, problem: "checkpoint \(row.id) cannot be read: its row was altered")
                }
                guard let key = byID[checkpoint.keyID] else {
                    return .broken(id: row.id, problem: "checkpoint \(row.id) names key \(checkpoint.keyID), not one given (\(given))")
                }
                guard checkpoint.isSigned(by: key) else {
                    return .broken(id: row.id, problem: "checkpoint \(row.id) does not verify with key \(key.id): forged, or altered after signing")
                }
                guard checkpoint.lastDecisionID == row.id - 1, checkpoint.time == row.recordedAt else {
                    return .broken(id: row.id, problem: "checkpoint \(row.id) was signed for another place in the log (moved or copied)")
                }
                let expectedPrevious = previous?.hash ?? (prunedBefore > 1 ? nil : DecisionChain.genesis)
                if let expectedPrevious, checkpoint.previousCheckpointHash != expectedPrevious {
                    return .broken(id: row.id, problem: "checkpoint \(row.id) does not follow "
                        + (previous.map { "checkpoint \($0.id)" } ?? "the start of the log") + ": a checkpoint between them was removed")
                }
                if let problem = try Self.headProblem(checkpoint, named: "checkpoint \(row.id)", listed: checkpoint.coveredList(in: row),
                                                      prunedBefore: prunedBefore, lastGood: lastGood, db: db) {
                    return problem
                }
                lastGood = checkpoint.lastDecisionID
                previous = checkpoint
                count += 1
            }
            guard let exported else { return .intact(checkpoints: count, lastCovered: lastGood) }
            guard let key = byID[exported.keyID], exported.isSigned(by: key) else {
                return .broken(id: exported.id, problem: "the exported checkpoint \(exported.id) does not verify with the keys given (\(given))")
            }
            let newest = try Int64.fetchOne(db, sql: "SELECT MAX(id) FROM decisions") ?? (prunedBefore - 1)
            if newest < exported.id {
                return .broken(id: newest + 1, problem: "decisions \(newest + 1) to \(exported.id) were removed: the exported checkpoint \(exported.id) "
                    + "(\(exported.time)) vouches for decisions up to \(exported.lastDecisionID) and its own row, the log ends at \(newest)")
            }
            // The list of hashes may still be in the checkpoint's row; the signed digest says
            // whether it is the one signed.
            let stored = try StoredDecision.fetchOne(db, sql: "SELECT * FROM decisions WHERE id = ?", arguments: [exported.id])
            if let problem = try Self.headProblem(exported, named: "the exported checkpoint \(exported.id)", listed: exported.coveredList(in: stored),
                                                  prunedBefore: prunedBefore, lastGood: lastGood.flatMap { $0 < exported.lastDecisionID ? $0 : nil },
                                                  db: db) {
                return problem
            }
            guard stored?.checkpoint?.signature == exported.signature else {
                return .broken(id: exported.id, problem: "decision \(exported.id) is no longer the exported checkpoint: its row was replaced")
            }
            return .intact(checkpoints: count, lastCovered: max(lastGood ?? 0, exported.lastDecisionID))
        }
    }

    /// Why the chain no longer passes through `checkpoint`'s head, or nil when it does or the
    /// head was pruned. With the signed list of hashes (`listed`), names the first decision
    /// whose hash is not the one signed; without it, the span since `lastGood`, the newest head
    /// before it that still matches.
    private static func headProblem(_ checkpoint: Checkpoint, named name: String, listed: [String]?, prunedBefore: Int64,
                                    lastGood: Int64?, db: Database) throws -> CheckpointVerification? {
        let head = checkpoint.lastDecisionID
        let hash = try String.fetchOne(db, sql: "SELECT hash FROM decisions WHERE id = ?", arguments: [head])
        guard head >= prunedBefore, hash != checkpoint.headHash else { return nil }
        guard hash != nil else {
            return .broken(id: head, problem: "decision \(head), the head \(name) signed, was removed")
        }
        // The newest decision known to match: what a rewrite must lie after.
        let knownGood = max(lastGood ?? (prunedBefore - 1), prunedBefore - 1)
        func rewritten(_ first: Int64, _ last: Int64) -> CheckpointVerification {
            let span = first == last ? "decision \(last) was" : "a decision from \(first) to \(last) was"
            return .broken(id: last, problem: "decision \(last) no longer matches the hash \(name) signed at \(checkpoint.time): "
                + "the chain was rewritten (\(span) changed and every later hash recomputed)")
        }
        if let listed {
            let current = try Row.fetchAll(db, sql: "SELECT id, hash FROM decisions WHERE id BETWEEN ? AND ?",
                                           arguments: [checkpoint.coveredFrom, head])
                .reduce(into: [Int64: String]()) { $0[$1["id"]] = $1["hash"] }
            for (offset, signed) in listed.enumerated() {
                let id = checkpoint.coveredFrom + Int64(offset)
                guard id > knownGood, current[id] != signed else { continue }
                // Named only when the row before it is known to match: a rewrite further back
                // changes the first listed hash too.
                guard offset > 0 || id == knownGood + 1 else { return rewritten(knownGood + 1, id) }
                return .broken(id: id, problem: "decision \(id) no longer matches the hash \(name) signed for it at \(checkpoint.time): "
                    + (current[id] == nil ? "it was removed" : "it was altered or replaced, and every later hash recomputed"))
            }
        }
        return rewritten(knownGood + 1, head)
    }
}
