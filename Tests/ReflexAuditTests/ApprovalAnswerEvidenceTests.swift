import Foundation
import ReflexAudit
import ReflexCore
import Testing

/// An answer to an approval request is recorded as complete as the request: the policy version,
/// the evidence and the target's state the change was planned on.
struct ApprovalAnswerEvidenceTests {
    @Test func anApprovalAndADenialCarryTheRequestsEvidenceAndStateBefore() throws {
        let (_, store) = try AuditFixtures.log(count: 1)
        let plan = ApprovalPlan(change: .onDemand, plannedAgainst: TargetSnapshot(readCapacity: 100, writeCapacity: 50, onDemand: false),
                                expiresAt: AuditFixtures.start.addingTimeInterval(3600), digest: String(repeating: "d", count: 64))
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        encoder.dateEncodingStrategy = .iso8601
        let parameters = String(decoding: try encoder.encode(plan), as: UTF8.self)
        let state = #"{"onDemand":false,"readCapacity":100,"writeCapacity":50}"#
        var ids: [Int64] = []
        for _ in 0..<2 {
            ids.append(try store.append(DecisionRecord(
                at: AuditFixtures.start, kind: .approvalRequested, policy: "p", policyHash: "hash-v1", target: "dynamodb:cart",
                reason: "breached", evidence: #"{"observed":40}"#, action: "dynamodb_on_demand", parameters: parameters, mode: "approve",
                stateBefore: state)))
        }
        let approved = try store.answerApproval(ids[0], approve: true, by: "alice", note: nil, at: AuditFixtures.start.addingTimeInterval(60))
        let denied = try store.answerApproval(ids[1], approve: false, by: "bob", note: nil, at: AuditFixtures.start.addingTimeInterval(60))
        for id in [approved, denied] {
            let record = try AuditReader(store: store).show(id: id).decision.record
            #expect(record.policyHash == "hash-v1")
            #expect(record.evidence == #"{"observed":40}"#)
            #expect(record.stateBefore == state)
            #expect(record.change == nil)
        }
        guard case .intact = try AuditReader(store: store).verify() else { Issue.record("chain broken"); return }
    }
}
