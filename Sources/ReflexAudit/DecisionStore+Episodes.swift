import GRDB
import ReflexCore

extension DecisionStore {
    /// The firing episode `decision` belongs to, named by the id of the state change that
    /// opened it: the first change to `firing` of the decision's policy on its target since that
    /// policy last resolved there (a change from `firing` or `error` to another state, what
    /// webhooks call `policy.resolved`), up to the decision itself. A policy that goes from
    /// firing to error and back stays in one episode. Nil when no episode is open: the policy
    /// did not fire since it last resolved, or the decision has no policy or target. Only the
    /// log up to the decision counts, so the answer never changes once the decision is logged.
    public func firingEpisode(of decision: StoredDecision) throws -> Int64? {
        try pool.read { db in try Self.firingEpisode(of: decision, in: db) }
    }

    static func firingEpisode(of decision: StoredDecision, in db: Database) throws -> Int64? {
        guard let policy = decision.record.policy, let target = decision.record.target else { return nil }
        return try Int64.fetchOne(db, sql: """
            SELECT MIN(id) FROM decisions
            WHERE kind = 'state-change' AND policy = :policy AND target = :target AND state_to = 'firing' AND id <= :id
            AND id > COALESCE((SELECT MAX(id) FROM decisions
                               WHERE kind = 'state-change' AND policy = :policy AND target = :target AND id < :id
                               AND state_from IN ('firing', 'error') AND state_to NOT IN ('firing', 'error')), 0)
            """, arguments: ["policy": policy, "target": target, "id": decision.id])
    }
}
