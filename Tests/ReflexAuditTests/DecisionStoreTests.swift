import Foundation
import ReflexAudit
import ReflexCore
import Testing

struct DecisionStoreTests {
    @Test func theDatabaseIsCreatedOwnerOnly() throws {
        let (path, _) = try AuditFixtures.log(count: 1)
        for file in [path, path + "-wal", path + "-shm"] where FileManager.default.fileExists(atPath: file) {
            let mode = try FileManager.default.attributesOfItem(atPath: file)[.posixPermissions] as? Int
            #expect(mode == 0o600, "\(file) has mode \(String(mode ?? 0, radix: 8))")
        }
    }

    @Test func everyFieldRoundTrips() throws {
        let path = AuditFixtures.temporaryPath()
        let store = try DecisionStore(path: path)
        let hash = try store.recordPolicyVersion(name: "p", text: "policies:\n  - name: p\n", at: AuditFixtures.start)
        let record = DecisionRecord(
            at: AuditFixtures.start.addingTimeInterval(0.25), kind: .actionExecuted, policy: "p", policyHash: hash, target: "dynamodb:t",
            stateFrom: "pending", stateTo: "firing", reason: "breached", detail: "capacity read 100 -> 200", evidence: "{}",
            action: "dynamodb_capacity", parameters: #"{"read":200}"#, mode: "enforce", intentID: 1, awsRequestID: "ABC", outcome: "succeeded")
        let id = try store.append(record)
        let shown = try AuditReader(path: path).show(id: id)
        #expect(shown.decision.record == record)
        #expect(shown.policyText == "policies:\n  - name: p\n")
        #expect(hash.count == 64)
    }

    @Test func listFiltersAndOrdersNewestFirst() throws {
        let path = AuditFixtures.temporaryPath()
        let store = try DecisionStore(path: path)
        for index in 1...10 { _ = try store.append(AuditFixtures.record(index, policy: index.isMultiple(of: 2) ? "even" : "odd")) }
        let reader = try AuditReader(path: path)
        #expect(try reader.list(DecisionFilter(policy: "even"), limit: 3).map(\.id) == [10, 8, 6])
        let since = AuditFixtures.start.addingTimeInterval(7 * 60)
        #expect(try reader.list(DecisionFilter(since: since), limit: 100).map(\.id) == [10, 9, 8, 7])
        // Both ends are inclusive: decision 9 was recorded at exactly `until`.
        #expect(try reader.list(DecisionFilter(since: since, until: since.addingTimeInterval(120)), limit: 100).map(\.id) == [9, 8, 7])
        #expect(try reader.list(DecisionFilter(since: since, until: since.addingTimeInterval(119.999)), limit: 100).map(\.id) == [8, 7])
        #expect(try reader.list(DecisionFilter(reason: "nothing"), limit: 100).isEmpty)
        var exported: [Int64] = []
        try reader.export(DecisionFilter(policy: "odd")) { exported.append($0.id) }
        #expect(exported == [1, 3, 5, 7, 9])
    }

    @Test func actionHistoryCountsIntentsAndSurvivesReopening() throws {
        let path = AuditFixtures.temporaryPath()
        do {
            let store = try DecisionStore(path: path)
            // An intent counts once, whether or not its outcome was written.
            let intent = try store.append(DecisionRecord(at: AuditFixtures.start, kind: .actionIntent, policy: "p", target: "ecs:c/s"))
            _ = try store.append(DecisionRecord(at: AuditFixtures.start.addingTimeInterval(5), kind: .actionExecuted, policy: "p",
                                                target: "ecs:c/s", intentID: intent))
            _ = try store.append(DecisionRecord(at: AuditFixtures.start.addingTimeInterval(60), kind: .actionDryRun, policy: "q", target: "ecs:c/s"))
            _ = try store.append(DecisionRecord(at: AuditFixtures.start.addingTimeInterval(120), kind: .actionHeld, policy: "p", target: "ecs:c/s"))
            // An intent whose outcome was lost (the database refused it) is an attempt all the same.
            _ = try store.append(DecisionRecord(at: AuditFixtures.start.addingTimeInterval(180), kind: .actionIntent, policy: "p", target: "ecs:c/s"))
        }
        let reopened = try DecisionStore(path: path)
        #expect(try reopened.actions(since: AuditFixtures.start) == [
            ActionRecord(policy: "p", target: "ecs:c/s", at: AuditFixtures.start, dryRun: false),
            ActionRecord(policy: "q", target: "ecs:c/s", at: AuditFixtures.start.addingTimeInterval(60), dryRun: true),
            ActionRecord(policy: "p", target: "ecs:c/s", at: AuditFixtures.start.addingTimeInterval(180), dryRun: false),
        ])
        #expect(try reopened.actions(since: AuditFixtures.start.addingTimeInterval(30)).count == 2)
    }

    @Test func intentsWithoutOutcomeAreFound() throws {
        let store = try DecisionStore(path: AuditFixtures.temporaryPath())
        let done = try store.append(DecisionRecord(at: AuditFixtures.start, kind: .actionIntent, policy: "p"))
        _ = try store.append(DecisionRecord(at: AuditFixtures.start, kind: .actionExecuted, policy: "p", intentID: done))
        let open = try store.append(DecisionRecord(at: AuditFixtures.start, kind: .actionIntent, policy: "p"))
        #expect(try store.intentsWithoutOutcome().map(\.id) == [open])
    }

    @Test func aMissingDatabaseIsAClearError() {
        #expect(throws: AuditError(.cannotOpen, "no decision log at /nonexistent/reflex.db")) {
            try AuditReader(path: "/nonexistent/reflex.db")
        }
    }
}
