import Foundation
import GRDB
import ReflexCore

/// The daemon's handle on the decision log: appends decisions to the hash chain, keeps the
/// text of every policy version, and answers what guardrails need to survive restarts.
public final class DecisionStore: DecisionLog, Sendable {
    let pool: DatabasePool

    /// The database file.
    public var path: String { pool.path }

    /// Opens (creating and migrating if needed) the decision log at `path`.
    public init(path: String) throws {
        pool = try AuditDatabase.openForWriting(path)
    }

    /// Opens the decision log at `path` for writing only if it exists: an operator's answer or
    /// reset has nothing to apply to in a log that was never written.
    public convenience init(existingAt path: String) throws {
        guard FileManager.default.fileExists(atPath: path) else { throw AuditError(.cannotOpen, "no decision log at \(path)") }
        try self.init(path: path)
    }

    /// Appends `record` as the next link of the chain. Returns once the row is committed.
    public func append(_ record: DecisionRecord) throws -> Int64 {
        try pool.write { db in try Self.append(record, in: db) }
    }

    /// Appends `records` in one transaction, in order, and returns their ids: one commit (and
    /// one sync to disk) for all the decisions of an evaluation cycle.
    public func append(contentsOf records: [DecisionRecord]) throws -> [Int64] {
        try pool.write { db in try records.map { try Self.append($0, in: db) } }
    }

    /// Appends `record` inside an open write transaction.
    static func append(_ record: DecisionRecord, in db: Database) throws -> Int64 {
        let last = try Row.fetchOne(db, sql: "SELECT id, hash FROM decisions ORDER BY id DESC LIMIT 1")
        let id: Int64
        let prevHash: String
        if let last {
            id = last["id"] + 1
            prevHash = last["hash"]
        } else {
            // An empty log: the very first row, or the first after a prune removed everything.
            id = try Int64.fetchOne(db, sql: "SELECT first_id FROM chain_anchor") ?? 1
            prevHash = try String.fetchOne(db, sql: "SELECT prev_hash FROM chain_anchor") ?? DecisionChain.genesis
        }
        var values: [String: DatabaseValue] = [
            "id": id.databaseValue, "recorded_at": StoredTime.format(record.at).databaseValue,
            "kind": record.kind.rawValue.databaseValue, "policy": record.policy.databaseValue,
            "policy_hash": record.policyHash.databaseValue, "target": record.target.databaseValue,
            "state_from": record.stateFrom.databaseValue, "state_to": record.stateTo.databaseValue,
            "reason": record.reason.databaseValue, "detail": record.detail.databaseValue,
            "evidence": record.evidence.databaseValue, "action": record.action.databaseValue,
            "parameters": record.parameters.databaseValue, "mode": record.mode.databaseValue,
            "intent_id": record.intentID.databaseValue, "aws_request_id": record.awsRequestID.databaseValue,
            "outcome": record.outcome.databaseValue, "prev_hash": prevHash.databaseValue,
            "state_before": record.stateBefore.databaseValue, "change": record.change.databaseValue,
        ]
        values["hash"] = DecisionChain.hash(values).databaseValue
        let columns = DecisionChain.allColumns + ["hash"]
        try db.execute(
            sql: "INSERT INTO decisions (\(columns.joined(separator: ", "))) VALUES (\(columns.map { _ in "?" }.joined(separator: ", ")))",
            arguments: StatementArguments(columns.map { values[$0] ?? .null }))
        return id
    }

    /// Moves the write-ahead log into the database file and truncates it, as on a clean stop.
    public func checkpoint() throws {
        _ = try pool.writeWithoutTransaction { db in try db.checkpoint(.truncate) }
    }

    /// Stores the text of a policy version once and returns its hash, which decisions carry.
    @discardableResult
    public func recordPolicyVersion(name: String, text: String, at date: Date) throws -> String {
        try recordPolicyVersions([(name, text)], at: date)[0]
    }

    /// Stores the texts of many policy versions in one commit; returns their hashes in order.
    public func recordPolicyVersions(_ versions: [(name: String, text: String)], at date: Date) throws -> [String] {
        let hashes = versions.map { DecisionChain.sha256($0.text) }
        let seen = StoredTime.format(date)
        try pool.write { db in
            for (version, hash) in zip(versions, hashes) {
                try db.execute(
                    sql: "INSERT OR IGNORE INTO policy_versions (hash, name, text, first_seen) VALUES (?, ?, ?, ?)",
                    arguments: [hash, version.name, version.text, seen])
            }
        }
        return hashes
    }

    /// Actions attempted since `date`, oldest first: what cooldowns and budgets count, so that
    /// they hold across restarts. An attempt is its intent (written before AWS is called) or a
    /// dry run, never its outcome: an outcome that could not be written (a locked or full
    /// database) must not make an executed action look as if it never happened.
    public func actions(since date: Date) throws -> [ActionRecord] {
        try pool.read { db in try Self.actions(since: date, in: db) }
    }

    static func actions(since date: Date, in db: Database) throws -> [ActionRecord] {
        try Row.fetchAll(db, sql: """
            SELECT policy, target, recorded_at, kind FROM decisions
            WHERE kind IN ('action-intent', 'action-dry-run') AND recorded_at >= ? ORDER BY id
            """, arguments: [StoredTime.format(date)])
            .compactMap { row in
                guard let policy: String = row["policy"], let target: String = row["target"],
                      let at = StoredTime.parse(row["recorded_at"]) else { return nil }
                return ActionRecord(policy: policy, target: target, at: at, dryRun: row["kind"] == "action-dry-run")
            }
    }

    /// Intents that have no outcome row yet: actions that were in flight when Reflex stopped.
    public func intentsWithoutOutcome() throws -> [StoredDecision] {
        try pool.read { db in try Self.intentsWithoutOutcome(in: db) }
    }

    static func intentsWithoutOutcome(in db: Database) throws -> [StoredDecision] {
        try StoredDecision.fetchAll(db, sql: """
            SELECT * FROM decisions i WHERE i.kind = 'action-intent'
            AND NOT EXISTS (SELECT 1 FROM decisions o WHERE o.intent_id = i.id) ORDER BY i.id
            """)
    }
}
