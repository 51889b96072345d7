import Foundation
import GRDB
import ReflexCore

/// A decision as stored: its id, its content and its place in the hash chain.
public struct StoredDecision: Hashable, Sendable {
    /// The row id: consecutive, the chain's order.
    public let id: Int64
    /// `recorded_at` exactly as stored: what is printed, so that a copied time is the stored one.
    public let recordedAt: String
    /// The decision.
    public let record: DecisionRecord
    /// The hash of the row before (64 zeros for the first row ever).
    public let prevHash: String
    /// SHA-256 over this row's canonical content and `prevHash`.
    public let hash: String
}

extension StoredDecision: FetchableRecord {
    public init(row: Row) throws {
        id = row["id"]
        recordedAt = row["recorded_at"]
        let kind: String = row["kind"]
        record = DecisionRecord(
            // A time or kind this build cannot read is kept as the epoch / a daemon event; verify
            // still hashes the stored text, so nothing is hidden.
            at: AuditTime.parse(recordedAt) ?? Date(timeIntervalSince1970: 0),
            kind: DecisionKind(rawValue: kind) ?? .daemon,
            policy: row["policy"], policyHash: row["policy_hash"], target: row["target"],
            stateFrom: row["state_from"], stateTo: row["state_to"], reason: row["reason"], detail: row["detail"],
            evidence: row["evidence"], action: row["action"], parameters: row["parameters"], mode: row["mode"],
            intentID: row["intent_id"], awsRequestID: row["aws_request_id"], outcome: row["outcome"],
            stateBefore: row["state_before"], change: row["change"])
        prevHash = row["prev_hash"]
        hash = row["hash"]
    }
}
