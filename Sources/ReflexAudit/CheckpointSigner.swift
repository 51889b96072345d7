import Foundation
import ReflexCore

/// The daemon's checkpoint port: signs checkpoints of `store` with `key`.
public struct CheckpointSigner: CheckpointLog {
    let store: DecisionStore
    let key: AuditSigningKey

    /// A signer appending to `store`.
    public init(store: DecisionStore, key: AuditSigningKey) {
        self.store = store
        self.key = key
    }

    public func appendCheckpoint(trigger: String, at date: Date) throws -> [(name: String, value: String)] {
        let checkpoint = try store.appendCheckpoint(trigger: trigger, at: date, key: key)
        return [("checkpoint_id", String(checkpoint.id)), ("trigger", checkpoint.trigger),
                ("last_decision_id", String(checkpoint.lastDecisionID)), ("head_hash", checkpoint.headHash),
                ("decision_count", String(checkpoint.decisionCount)), ("time", checkpoint.time),
                ("previous_checkpoint_hash", checkpoint.previousCheckpointHash), ("key_id", checkpoint.keyID),
                ("signature", checkpoint.signature)]
    }
}
