import Foundation

/// A signed statement of the decision log's head: "up to decision N the chain ended in hash H".
/// Kept in the log as a decision of its own (kind `audit-checkpoint`) and published off the
/// host, so that a copy out of the administrator's reach can later prove that nothing up to
/// it was removed or rewritten.
public struct Checkpoint: Hashable, Sendable {
    /// The id of the checkpoint's own row in the log (`lastDecisionID + 1`).
    public let id: Int64
    /// Why it was made: `start`, `interval`, `reload` or `stop`.
    public let trigger: String
    /// The last decision it covers.
    public let lastDecisionID: Int64
    /// That decision's `hash`: the head of the chain.
    public let headHash: String
    /// How many decisions the log held then (fewer than `lastDecisionID` after a prune).
    public let decisionCount: Int64
    /// The first decision whose hash the checkpoint lists (the previous checkpoint's row, at
    /// most 10,000 back): a rewrite inside the span is named at its first row.
    public let coveredFrom: Int64
    /// SHA-256 over the hashes of decisions `coveredFrom` to `lastDecisionID`, each as 64 hex
    /// digits and a newline; the list itself is in the checkpoint's row.
    public let coveredHashes: String
    /// When it was made, as stored (`recorded_at` of its row).
    public let time: String
    /// `hash` of the checkpoint before it (64 zeros for the first).
    public let previousCheckpointHash: String
    /// The id of the key that signed it.
    public let keyID: String
    /// The Ed25519 signature of `signedText`, base64.
    public let signature: String

    /// The exact bytes signed (UTF-8), documented in docs/decision-log.md so that an auditor
    /// can verify with other tools: nine lines, each ending in a newline.
    public var signedText: String {
        "reflex-checkpoint/1\nlast_decision_id=\(lastDecisionID)\nhead_hash=\(headHash)\ndecision_count=\(decisionCount)\n"
            + "covered_from=\(coveredFrom)\ncovered_hashes=\(coveredHashes)\ntime=\(time)\nprevious_checkpoint_hash=\(previousCheckpointHash)\nkey_id=\(keyID)\n"
    }

    /// SHA-256 of `signedText`: what the next checkpoint names as its previous.
    public var hash: String { DecisionChain.sha256(signedText) }

    /// The same checkpoint with `signature`.
    func signed(_ signature: String) -> Checkpoint {
        Checkpoint(id: id, trigger: trigger, lastDecisionID: lastDecisionID, headHash: headHash, decisionCount: decisionCount,
                   coveredFrom: coveredFrom, coveredHashes: coveredHashes, time: time, previousCheckpointHash: previousCheckpointHash, keyID: keyID, signature: signature)
    }

    /// The `coveredHashes` of `hashes`.
    static func digest(_ hashes: [String]) -> String { DecisionChain.sha256(hashes.map { $0 + "\n" }.joined()) }

    /// Whether `key` signed it.
    public func isSigned(by key: AuditPublicKey) -> Bool { keyID == key.id && key.isValid(signature, for: signedText) }
}

extension Checkpoint {
    /// The checkpoint as JSON fields: what `reflex audit checkpoint export` prints, what the
    /// row's `parameters` hold (less `id`) and what the `audit.checkpoint` webhook carries.
    public var fields: [String: Any] {
        ["id": id, "trigger": trigger, "last_decision_id": lastDecisionID, "head_hash": headHash, "decision_count": decisionCount,
         "covered_from": coveredFrom, "covered_hashes": coveredHashes, "time": time, "previous_checkpoint_hash": previousCheckpointHash, "key_id": keyID, "signature": signature]
    }

    /// The fields as one line of JSON, keys sorted.
    public var json: String {
        let data = (try? JSONSerialization.data(withJSONObject: fields, options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data()
        return String(decoding: data, as: UTF8.self)
    }

    /// Reads the JSON of an exported checkpoint, or of an `audit.checkpoint` webhook event
    /// (whose `data.checkpoint` it is).
    public init(exported data: Data, source: String) throws {
        guard let object = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] else {
            throw AuditError(.badCheckpoint, "\(source) is not JSON")
        }
        let fields = ((object["data"] as? [String: Any])?["checkpoint"] as? [String: Any]) ?? object
        guard let checkpoint = Checkpoint(fields: fields) else {
            throw AuditError(.badCheckpoint, "\(source) is not a Reflex checkpoint (reflex audit checkpoint export, or an audit.checkpoint event)")
        }
        self = checkpoint
    }

    /// The checkpoint in `fields`; `id` (absent from a row's `parameters`) falls back to `row`.
    init?(fields: [String: Any], row: Int64? = nil) {
        func integer(_ key: String) -> Int64? { (fields[key] as? NSNumber)?.int64Value }
        guard let id = integer("id") ?? row, let trigger = fields["trigger"] as? String, let last = integer("last_decision_id"),
              let head = fields["head_hash"] as? String, let count = integer("decision_count"), let from = integer("covered_from"),
              let covered = fields["covered_hashes"] as? String, let time = fields["time"] as? String,
              let previous = fields["previous_checkpoint_hash"] as? String, let keyID = fields["key_id"] as? String,
              let signature = fields["signature"] as? String else { return nil }
        self.init(id: id, trigger: trigger, lastDecisionID: last, headHash: head, decisionCount: count, coveredFrom: from,
                  coveredHashes: covered, time: time,
                  previousCheckpointHash: previous, keyID: keyID, signature: signature)
    }
}
