import Foundation
import GRDB
import ReflexCore

/// What auditors ask of the decision log: listing, one decision with its policy text,
/// streaming export, and chain verification. Reads only.
public struct AuditReader: Sendable {
    let database: any DatabaseReader

    /// Opens the decision log at `path` read-only.
    public init(path: String) throws {
        database = try AuditDatabase.openForReading(path)
    }

    /// Reads through the daemon's own connection (used by the daemon and tests).
    public init(store: DecisionStore) {
        database = store.pool
    }

    /// Decisions matching `filter`, newest first, at most `limit`.
    public func list(_ filter: DecisionFilter, limit: Int) throws -> [StoredDecision] {
        let (clause, arguments) = filter.sql
        return try database.read { db in
            try StoredDecision.fetchAll(db, sql: "SELECT * FROM decisions \(clause) ORDER BY id DESC LIMIT ?",
                                        arguments: StatementArguments(arguments) + [limit])
        }
    }

    /// Every reason code the log holds (AWS error codes among them).
    public func recordedReasons() throws -> Set<String> {
        try database.read { db in Set(try String.fetchAll(db, sql: "SELECT DISTINCT reason FROM decisions WHERE reason IS NOT NULL")) }
    }

    /// Decision `id`, the text of the policy version that made it, and the decisions it is
    /// linked with by `intent_id`: those it follows from (an outcome's intent, the approval
    /// request an intent carries out) and those that follow from any of them (the approval,
    /// the outcome, the verification), oldest first.
    public func show(id: Int64) throws -> (decision: StoredDecision, policyText: String?, related: [StoredDecision]) {
        try database.read { db in
            guard let decision = try StoredDecision.fetchOne(db, sql: "SELECT * FROM decisions WHERE id = ?", arguments: [id]) else {
                throw AuditError(.notFound, "no decision with id \(id)")
            }
            let text = try decision.record.policyHash.flatMap {
                try String.fetchOne(db, sql: "SELECT text FROM policy_versions WHERE hash = ?", arguments: [$0])
            }
            var roots = [id]
            var next = decision.record.intentID
            // Links point to earlier rows, so the walk ends; the bound guards a hand-edited log.
            while let earlier = next, earlier < roots[roots.count - 1], roots.count < 16 {
                roots.append(earlier)
                next = try Int64.fetchOne(db, sql: "SELECT intent_id FROM decisions WHERE id = ?", arguments: [earlier])
            }
            let marks = roots.map { _ in "?" }.joined(separator: ", ")
            let related = try StoredDecision.fetchAll(db, sql: """
                SELECT * FROM decisions WHERE (id IN (\(marks)) OR intent_id IN (\(marks))) AND id <> ? ORDER BY id
                """, arguments: StatementArguments(roots + roots + [id]))
            return (decision, text, related)
        }
    }

    /// Calls `body` with every decision matching `filter`, oldest first, without holding them
    /// all in memory.
    public func export(_ filter: DecisionFilter, _ body: (StoredDecision) throws -> Void) throws {
        let (clause, arguments) = filter.sql
        try database.read { db in
            let cursor = try StoredDecision.fetchCursor(db, sql: "SELECT * FROM decisions \(clause) ORDER BY id",
                                                        arguments: StatementArguments(arguments))
            while let decision = try cursor.next() { try body(decision) }
        }
    }

    /// Walks the whole chain from its anchor and reports the first row that was altered,
    /// inserted or removed.
    public func verify() throws -> ChainVerification {
        try database.read { db in
            let anchor = try Row.fetchOne(db, sql: "SELECT first_id, prev_hash FROM chain_anchor")
            var expectedID: Int64 = anchor?["first_id"] ?? 1
            var expectedPrev: String = anchor?["prev_hash"] ?? DecisionChain.genesis
            var count = 0
            var firstID: Int64?
            let rows = try Row.fetchCursor(db, sql: "SELECT * FROM decisions ORDER BY id")
            while let row = try rows.next() {
                let id: Int64 = row["id"]
                if id != expectedID {
                    return id > expectedID
                        ? .broken(id: expectedID, problem: "row \(expectedID) is missing (removed)")
                        : .broken(id: id, problem: "row \(id) is out of sequence (inserted)")
                }
                var values: [String: DatabaseValue] = [:]
                for column in DecisionChain.allColumns { values[column] = row[column] }
                let stored: String = row["hash"]
                if DecisionChain.hash(values) != stored {
                    return .broken(id: id, problem: "row \(id) does not match its hash (altered or inserted)")
                }
                if row["prev_hash"] != expectedPrev {
                    return .broken(id: id, problem: "row \(id) does not link to row \(id - 1) (a row was altered, inserted or removed)")
                }
                firstID = firstID ?? id
                expectedPrev = stored
                expectedID = id + 1
                count += 1
            }
            return .intact(rows: count, firstID: firstID, lastID: firstID.map { _ in expectedID - 1 })
        }
    }
}

extension AuditReader {
    /// The approval requests open, and those closed since `date`, oldest first.
    public func approvalRequests(closedSince date: Date) throws -> [ApprovalRequest] {
        try database.read { db in try DecisionStore.approvalRequests(closedSince: date, in: db) }
    }

    /// The guardrail state the log holds now: actions since `date`, safe mode (`safeModeFallback`
    /// until an operator set it), open circuits, targets with an intent in flight and approval
    /// requests open or closed since `date`. Read in
    /// one transaction, so that the parts agree.
    public func guardrails(since date: Date, safeModeFallback: Bool) throws -> LoggedGuardrails {
        try database.read { db in
            LoggedGuardrails(
                history: try DecisionStore.actions(since: date, in: db),
                safeMode: try DecisionStore.safeMode(fallback: safeModeFallback, in: db),
                openCircuits: Set(try DecisionStore.openCircuits(in: db).map(\.key)),
                targetsInFlight: Set(try DecisionStore.intentsWithoutOutcome(in: db).compactMap(\.record.target)),
                approvals: try DecisionStore.approvalRequests(closedSince: date, in: db))
        }
    }
}
