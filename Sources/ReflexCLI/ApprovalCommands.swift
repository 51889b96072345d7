import ArgumentParser
import Foundation
import ReflexAudit
import ReflexCore

/// `reflex approvals`: the requests of approve-mode policies waiting for an answer, and the
/// approved ones the daemon has not carried out yet.
struct ApprovalsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "approvals",
        abstract: "List the changes waiting for approval (answer with 'reflex approve ID' or 'reflex deny ID').")

    @OptionGroup var database: DatabaseOptions
    @Option(help: "table or json.") var format = OutputFormat.table

    func run() throws {
        let now = Date()
        let reader = try withDecisionLog { try AuditReader(path: try database.path()) }
        let open = try withDecisionLog { try reader.approvalRequests(closedSince: now) }.filter { request in
            if case .closed = request.state { return false }
            return true
        }
        switch format {
        case .table:
            guard !open.isEmpty else {
                print("no approval requests are waiting")
                return
            }
            let rows = open.map { request in
                [String(request.id), request.policy, request.target, request.plan.change.summary, Self.state(of: request, now: now),
                 StoredTime.formatNearest(request.requestedAt), StoredTime.format(request.plan.expiresAt)]
            }
            print(TextTable.render(header: ["ID", "POLICY", "TARGET", "CHANGE", "STATE", "REQUESTED", "EXPIRES"], rows: rows))
        case .json:
            let objects: [[String: Any]] = open.map { request in
                ["id": request.id, "policy": request.policy, "target": request.target, "change": request.plan.change.summary,
                 "state": Self.state(of: request, now: now), "requested_at": StoredTime.formatNearest(request.requestedAt),
                 "expires_at": StoredTime.format(request.plan.expiresAt), "digest": request.plan.digest]
            }
            let data = (try? JSONSerialization.data(withJSONObject: objects, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])) ?? Data()
            print(String(decoding: data, as: UTF8.self))
        }
    }

    private static func state(of request: ApprovalRequest, now: Date) -> String {
        switch request.state {
        case .pending: now > request.plan.expiresAt ? "expired" : "pending"
        case let .approved(by, _): "approved by \(by)"
        case .closed: "closed"
        }
    }
}

/// `reflex approve ID` and `reflex deny ID`: a person's answer to an approval request,
/// recorded with the Unix user who gave it. The daemon carries out an approval at its next
/// cycle, through the guardrails again, and only on the target as it was when asked.
struct AnswerOptions: ParsableArguments {
    @Argument(help: "The request's decision id (from 'reflex approvals' or the webhook).") var id: Int64
    @Option(help: "Why, recorded with the answer.") var note: String?
    @OptionGroup var database: DatabaseOptions

    /// Records the answer; exit 1 for an unknown, answered or expired request.
    func answer(approve: Bool) throws {
        let store = try withDecisionLog { try DecisionStore(existingAt: try database.path()) }
        do {
            let answerID = try withDecisionLog {
                try store.answerApproval(id, approve: approve, by: OperatorName.current, note: note, at: Date())
            }
            print(approve ? "request \(id) approved (decision \(answerID)); the daemon carries it out at its next cycle if the target is unchanged and the guardrails allow it"
                : "request \(id) denied (decision \(answerID))")
        } catch let error as ApprovalAnswerError {
            printError("reflex: \(error)")
            throw ExitCode.checkFailed
        }
    }
}

struct ApproveCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "approve", abstract: "Approve a change an approve-mode policy asked for.")

    @OptionGroup var answer: AnswerOptions

    func run() throws {
        try answer.answer(approve: true)
    }
}

struct DenyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "deny", abstract: "Deny a change an approve-mode policy asked for.")

    @OptionGroup var answer: AnswerOptions

    func run() throws {
        try answer.answer(approve: false)
    }
}
