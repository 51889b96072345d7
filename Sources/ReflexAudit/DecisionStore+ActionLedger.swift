import Foundation
import GRDB
import ReflexCore

extension DecisionStore: ActionLedger {
    public func openCircuitKeys() throws -> Set<CircuitKey> {
        Set(try openCircuits().map(\.key))
    }

    public func pendingIntents() throws -> [PendingIntent] {
        try intentsWithoutOutcome().map { PendingIntent(id: $0.id, record: $0.record) }
    }

    public func lastStates() throws -> [RecordedState] {
        try pool.read { db in
            try Row.fetchAll(db, sql: """
                SELECT d.policy, d.target, d.state_to, d.policy_hash FROM decisions d
                JOIN (SELECT MAX(id) AS id FROM decisions WHERE kind = 'state-change' GROUP BY policy, target) newest ON d.id = newest.id
                ORDER BY d.id
                """).compactMap { row in
                guard let policy: String = row["policy"], let target: String = row["target"],
                      let state = (row["state_to"] as String?).flatMap(PolicyStatus.init(rawValue:)) else { return nil }
                return RecordedState(policy: policy, target: target, state: state, policyHash: row["policy_hash"])
            }
        }
    }

    public func unverifiedActions(since date: Date) throws -> [UnverifiedAction] {
        try pool.read { db in
            try Row.fetchAll(db, sql: """
                SELECT e.policy, e.target, e.intent_id, e.recorded_at FROM decisions e
                WHERE e.kind = 'action-executed' AND e.recorded_at >= ? AND e.intent_id IS NOT NULL
                AND NOT EXISTS (SELECT 1 FROM decisions v WHERE v.intent_id = e.intent_id
                                AND v.kind IN ('action-verified', 'action-not-verified') AND v.recorded_at >= e.recorded_at)
                ORDER BY e.id
                """, arguments: [StoredTime.format(date)]).compactMap { row in
                guard let policy: String = row["policy"], let target: String = row["target"], let intentID: Int64 = row["intent_id"],
                      let at = StoredTime.parse(row["recorded_at"]) else { return nil }
                return UnverifiedAction(policy: policy, target: target, intentID: intentID, executedAt: at)
            }
        }
    }
}
