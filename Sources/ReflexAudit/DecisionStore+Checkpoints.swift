import Foundation
import GRDB
import ReflexCore

extension DecisionStore {
    /// Appends a checkpoint over the log as it is now, signed with `key`, as a decision of its
    /// own (kind `audit-checkpoint`, `reason` the `trigger`), in one transaction so that no
    /// decision slips in between the head it names and its row.
    public func appendCheckpoint(trigger: String, at date: Date, key: AuditSigningKey) throws -> Checkpoint {
        try pool.write { db in
            let head = try Row.fetchOne(db, sql: "SELECT id, hash FROM decisions ORDER BY id DESC LIMIT 1")
            let anchor = try Row.fetchOne(db, sql: "SELECT first_id, prev_hash FROM chain_anchor")
            // An empty log's head is where its chain starts: the genesis, or the prune's anchor.
            let lastID: Int64 = head?["id"] ?? (anchor?["first_id"]).map { (first: Int64) in first - 1 } ?? 0
            let headHash: String = head?["hash"] ?? anchor?["prev_hash"] ?? DecisionChain.genesis
            let count = try Int64.fetchOne(db, sql: "SELECT COUNT(*) FROM decisions") ?? 0
            let previous = try StoredDecision.fetchOne(db, sql: "SELECT * FROM decisions WHERE kind = ? ORDER BY id DESC LIMIT 1",
                                                       arguments: [DecisionKind.auditCheckpoint.rawValue])
                .flatMap(\.checkpoint)
            // The hashes since the previous checkpoint, which let verify name the first row a
            // rewrite changed; bounded, so that a first checkpoint over a long log stays small.
            let coveredFrom = max(previous?.id ?? 1, lastID - Checkpoint.maximumCovered + 1, 1)
            let hashes = try String.fetchAll(db, sql: "SELECT hash FROM decisions WHERE id BETWEEN ? AND ? ORDER BY id",
                                             arguments: [coveredFrom, lastID])
            let time = StoredTime.format(date)
            let publicKey = key.publicKey
            let unsigned = Checkpoint(id: lastID + 1, trigger: trigger, lastDecisionID: lastID, headHash: headHash, decisionCount: count,
                                      coveredFrom: lastID - Int64(hashes.count) + 1, coveredHashes: Checkpoint.digest(hashes), time: time,
                                      previousCheckpointHash: previous?.hash ?? DecisionChain.genesis, keyID: publicKey.id, signature: "")
            let checkpoint = unsigned.signed(try key.sign(unsigned.signedText))
            var parameters = checkpoint.fields
            parameters["id"] = nil
            parameters["hashes"] = hashes
            let json = try JSONSerialization.data(withJSONObject: parameters, options: [.sortedKeys, .withoutEscapingSlashes])
            let id = try Self.append(DecisionRecord(
                at: date, kind: .auditCheckpoint, reason: trigger,
                detail: "checkpoint (\(trigger)) over decisions up to \(lastID), head \(headHash.prefix(12)), signed by key \(publicKey.id)",
                parameters: String(decoding: json, as: UTF8.self), outcome: "signed"), in: db)
            // The row takes the id after the head, in the same transaction: nothing else can.
            assert(id == checkpoint.id)
            return checkpoint
        }
    }
}

extension Checkpoint {
    /// At most this many hashes are listed in one checkpoint.
    static let maximumCovered: Int64 = 10_000

    /// The hashes listed in `decision`, the row of this checkpoint, when they are the ones it
    /// signed; nil otherwise.
    func coveredList(in decision: StoredDecision?) -> [String]? {
        guard let text = decision?.record.parameters,
              let fields = (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: Any],
              let hashes = fields["hashes"] as? [String], Int64(hashes.count) == lastDecisionID - coveredFrom + 1,
              Self.digest(hashes) == coveredHashes else { return nil }
        return hashes
    }
}

extension StoredDecision {
    /// The checkpoint this row holds: nil unless it is an `audit-checkpoint` whose
    /// `parameters` read as one.
    public var checkpoint: Checkpoint? {
        guard record.kind == .auditCheckpoint, let text = record.parameters,
              let fields = (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: Any] else { return nil }
        return Checkpoint(fields: fields, row: id)
    }
}
