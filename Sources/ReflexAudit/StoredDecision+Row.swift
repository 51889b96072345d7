import Foundation
import GRDB
import ReflexCore

extension StoredDecision: FetchableRecord {
    public init(row: Row) throws {
        let recordedAt: String = row["recorded_at"]
        let kind: String = row["kind"]
        self.init(
            id: row["id"], recordedAt: recordedAt,
            record: DecisionRecord(
                // A time or kind this build cannot read is kept as the epoch / a daemon event; verify
                // still hashes the stored text, so nothing is hidden.
                at: StoredTime.parse(recordedAt) ?? Date(timeIntervalSince1970: 0),
                kind: DecisionKind(rawValue: kind) ?? .daemon,
                policy: row["policy"], policyHash: row["policy_hash"], target: row["target"],
                stateFrom: row["state_from"], stateTo: row["state_to"], reason: row["reason"], detail: row["detail"],
                evidence: row["evidence"], action: row["action"], parameters: row["parameters"], mode: row["mode"],
                intentID: row["intent_id"], awsRequestID: row["aws_request_id"], outcome: row["outcome"],
                stateBefore: row["state_before"], change: row["change"]),
            prevHash: row["prev_hash"], hash: row["hash"])
    }
}
