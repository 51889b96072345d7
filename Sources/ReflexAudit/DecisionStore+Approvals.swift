import Foundation
import GRDB
import ReflexCore

/// Why an approval request cannot be answered.
public struct ApprovalAnswerError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What the person answering is told.
    public let description: String
}

extension DecisionStore {
    /// Every row that links to a request by `intent_id` answers it; every one but an
    /// `approval-granted` closes it (denied, expired, stale, held, or the action's intent).
    private static let requestsSQL = """
        SELECT * FROM (
            SELECT r.id, r.policy, r.target, r.recorded_at, r.parameters,
                   (SELECT MIN(c.recorded_at) FROM decisions c WHERE c.intent_id = r.id AND c.kind <> 'approval-granted') AS closed_at,
                   (SELECT g.outcome FROM decisions g WHERE g.intent_id = r.id AND g.kind = 'approval-granted' ORDER BY g.id LIMIT 1) AS approved_by,
                   (SELECT g.recorded_at FROM decisions g WHERE g.intent_id = r.id AND g.kind = 'approval-granted' ORDER BY g.id LIMIT 1) AS approved_at
            FROM decisions r WHERE r.kind = 'approval-requested')
        """

    public func approvalRequests(closedSince date: Date) throws -> [ApprovalRequest] {
        try pool.read { db in try Self.approvalRequests(closedSince: date, in: db) }
    }

    static func approvalRequests(closedSince date: Date, in db: Database) throws -> [ApprovalRequest] {
        try Row.fetchAll(db, sql: requestsSQL + " WHERE closed_at IS NULL OR closed_at >= ? ORDER BY id",
                         arguments: [StoredTime.format(date)]).compactMap(request)
    }

    /// The request of decision `id`, or nil when that decision is not an approval request.
    public func approvalRequest(_ id: Int64) throws -> ApprovalRequest? {
        try pool.read { db in try Self.request(id, in: db) }
    }

    private static func request(_ id: Int64, in db: Database) throws -> ApprovalRequest? {
        try Row.fetchOne(db, sql: requestsSQL + " WHERE id = ?", arguments: [id]).flatMap(request)
    }

    private static func request(_ row: Row) -> ApprovalRequest? {
        guard let policy: String = row["policy"], let target: String = row["target"], let at = StoredTime.parse(row["recorded_at"]),
              let parameters: String = row["parameters"], let plan = ApprovalPlan.decoded(from: parameters) else { return nil }
        let state: ApprovalRequest.State
        if let closedAt = (row["closed_at"] as String?).flatMap(StoredTime.parse) {
            state = .closed(at: closedAt)
        } else if let by: String = row["approved_by"], let approvedAt = (row["approved_at"] as String?).flatMap(StoredTime.parse) {
            state = .approved(by: by, at: approvedAt)
        } else {
            state = .pending
        }
        return ApprovalRequest(id: row["id"], policy: policy, target: target, requestedAt: at, plan: plan, state: state)
    }

    /// Records `who`'s answer to request `id` at `date`, in one transaction with the checks, so
    /// that two answers cannot both be taken. Throws `ApprovalAnswerError` for an unknown,
    /// answered or expired request. Returns the answer's decision id.
    public func answerApproval(_ id: Int64, approve: Bool, by who: String, note: String?, at date: Date) throws -> Int64 {
        try pool.write { db in
            guard let request = try Self.request(id, in: db) else {
                throw ApprovalAnswerError(description: "decision \(id) is not an approval request")
            }
            switch request.state {
            case let .approved(by, _):
                throw ApprovalAnswerError(description: "request \(id) was already approved by \(by)")
            case .closed:
                let closing = try String.fetchOne(db, sql: "SELECT kind FROM decisions WHERE intent_id = ? ORDER BY id LIMIT 1", arguments: [id])
                throw ApprovalAnswerError(description: "request \(id) is closed (\(closing ?? "answered")); nothing was recorded")
            case .pending:
                guard date <= request.plan.expiresAt else {
                    throw ApprovalAnswerError(description: "request \(id) expired at \(StoredTime.format(request.plan.expiresAt)); nothing was recorded")
                }
            }
            let requested = try StoredDecision.fetchOne(db, sql: "SELECT * FROM decisions WHERE id = ?", arguments: [id])?.record
            let verb = approve ? "approved" : "denied"
            let detail = "\(verb) by \(who): \(request.plan.change.summary)" + (note.map { " (note: \($0))" } ?? "")
            return try Self.append(DecisionRecord(
                at: date, kind: approve ? .approvalGranted : .approvalDenied, policy: request.policy, policyHash: requested?.policyHash,
                target: request.target, reason: verb, detail: detail, evidence: requested?.evidence, action: requested?.action,
                parameters: requested?.parameters, mode: requested?.mode, intentID: id, outcome: who, stateBefore: requested?.stateBefore),
                in: db)
        }
    }
}

extension ApprovalPlan {
    /// The plan stored as a request's `parameters`, or nil when it cannot be read.
    static func decoded(from json: String) -> ApprovalPlan? {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return try? decoder.decode(ApprovalPlan.self, from: Data(json.utf8))
    }
}
