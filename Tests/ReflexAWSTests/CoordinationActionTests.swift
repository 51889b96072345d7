import Foundation
import ReflexAWS
import ReflexCore
import ReflexTestSupport
import Testing

/// Actions in the shared table: written only together with a check of the lease, updated with
/// their outcome, read back by time.
struct CoordinationActionTests {
    static let t0 = Date(timeIntervalSince1970: 1_780_000_000.123)

    @Test func anActionLandsOnlyUnderTheCurrentLease() async throws {
        let (emulator, store, lease) = try await CoordinationFixtures.leased(by: "a", epoch: 3)

        let action = SharedAction(key: SharedAction.key(node: "a", intentID: 7), node: "a", epoch: 3, intent: CoordinationFixtures.intent(at: Self.t0))
        #expect(try await store.commitAction(action, lease: lease))
        #expect(try await store.actions(since: Self.t0.addingTimeInterval(-60)) == [action])

        // A deposed leader's view of the lease, by epoch or by holder: nothing is written.
        let later = SharedAction(key: "a/8", node: "a", epoch: 2, intent: CoordinationFixtures.intent(at: Self.t0.addingTimeInterval(5)))
        #expect(try await !store.commitAction(later, lease: LeaseRecord(holder: "a", recordVersion: "r1", epoch: 2)))
        #expect(try await !store.commitAction(later, lease: LeaseRecord(holder: "b", recordVersion: "r1", epoch: 3)))
        #expect(try await !store.commitAction(later, lease: LeaseRecord(holder: nil, recordVersion: "r1", epoch: 3)))
        #expect(try await store.actions(since: Self.t0.addingTimeInterval(-60)) == [action])
        // The same action twice is an error, not a second copy.
        await #expect(throws: CoordinationTableError.actionExists(table: CoordinationFixtures.table, key: "a/7")) {
            try await store.commitAction(action, lease: lease)
        }

        // As stored: time-first sort key, the intent as sorted JSON with ISO-8601 times, a TTL.
        let item = try #require(try await DynamoDBClient(client: emulator.client(.dynamoDB)).getItem(
            table: CoordinationFixtures.table, key: ["pk": .string("action"), "sk": .string("2026-05-28T20:26:40.123Z#a/7")]))
        #expect(item["node"] == .string("a") && item["epoch"] == .number("3"))
        #expect(item["expires"] == .number(String(1_780_000_000 + 30 * 24 * 3600)))
        let intent = try #require(item["intent"]?.stringValue)
        #expect(intent.hasPrefix(#"{"action":"ecs_rollback","at":"2026-05-28T20:26:40.123Z","evidence":"#), "\(intent)")
        #expect(item["outcome"] == nil && item["verified"] == nil)
        try await CoordinationFixtures.expectValidRequests(emulator)
    }

    @Test func awsCancellationReasonsAreReadPerItem() async throws {
        let (emulator, store, lease) = try await CoordinationFixtures.leased(by: "a", epoch: 1)
        let action = SharedAction(key: "a/1", node: "a", epoch: 1, intent: CoordinationFixtures.intent(at: Self.t0))
        // Answers as AWS writes them: the lease check (item 2) failed; then a conflict, which is
        // no failed condition and must not read as one.
        func canceled(_ reasons: String...) -> String {
            let listed = reasons.map { $0 == "None" ? #"{"Code":"None"}"# : #"{"Code":"\#($0)","Message":"\#($0)"}"# }
            return #"{"__type":"com.amazonaws.dynamodb.v20120810#TransactionCanceledException","CancellationReasons":["#
                + listed.joined(separator: ",") + #"],"Message":"Transaction cancelled, please refer cancellation reasons for specific reasons ["#
                + reasons.joined(separator: ", ") + #"]"}"#
        }
        try await emulator.inject([.init(target: "TransactWriteItems", status: 400, body: canceled("None", "ConditionalCheckFailed")),
                                   .init(target: "TransactWriteItems", status: 400, body: canceled("TransactionConflict", "None"))])
        #expect(try await !store.commitAction(action, lease: lease))
        await #expect {
            try await store.commitAction(action, lease: lease)
        } throws: { error in
            (error as? DynamoDBClient.TransactionCanceled)?.reasons == ["TransactionConflict", "None"]
        }
        #expect(try await store.actions(since: .distantPast) == [])
        #expect(try await store.commitAction(action, lease: lease))
        try await CoordinationFixtures.expectValidRequests(emulator)
    }

    @Test func updatesSetOnlyTheFieldsGiven() async throws {
        let (emulator, store, lease) = try await CoordinationFixtures.leased(by: "a", epoch: 1)
        var action = SharedAction(key: "a/1", node: "a", epoch: 1, intent: CoordinationFixtures.intent(at: Self.t0))
        #expect(try await store.commitAction(action, lease: lease))

        let done = Self.t0.addingTimeInterval(2.5)
        try await store.updateAction(key: "a/1", at: Self.t0, outcome: "succeeded", outcomeAt: done, verified: nil)
        action.outcome = "succeeded"
        action.outcomeAt = done
        #expect(try await store.actions(since: Self.t0) == [action])
        try await store.updateAction(key: "a/1", at: Self.t0, outcome: nil, outcomeAt: nil, verified: false)
        action.verified = false
        #expect(try await store.actions(since: Self.t0) == [action])
        // Nothing to set: no call.
        let before = try await emulator.calls()["DynamoDB_20120810.UpdateItem"]
        try await store.updateAction(key: "a/1", at: Self.t0, outcome: nil, outcomeAt: nil, verified: nil)
        #expect(try await emulator.calls()["DynamoDB_20120810.UpdateItem"] == before)

        // An action that is not there (another key, or another time) is not created by an update.
        #expect(try await !store.updateAction(key: "a/2", at: Self.t0, outcome: "failed", outcomeAt: done, verified: nil))
        #expect(try await !store.updateAction(key: "a/1", at: Self.t0.addingTimeInterval(0.001), outcome: "failed", outcomeAt: done, verified: nil))
        #expect(try await store.actions(since: .distantPast) == [action])
        try await CoordinationFixtures.expectValidRequests(emulator)
    }

    @Test func actionsSinceAreOldestFirstAndFromThatTimeOn() async throws {
        let (emulator, store, lease) = try await CoordinationFixtures.leased(by: "b", epoch: 2)
        // Committed out of time order; keys whose text order is not time order.
        let offsets: [(String, TimeInterval)] = [("b/1", 30), ("b/2", 10.25), ("b/3", 20), ("b/4", -5), ("b/5", 86_400 * 3)]
        for (key, offset) in offsets {
            let action = SharedAction(key: key, node: "b", epoch: 2, intent: CoordinationFixtures.intent(at: Self.t0.addingTimeInterval(offset)))
            #expect(try await store.commitAction(action, lease: lease))
        }
        #expect(try await store.actions(since: Self.t0).map(\.key) == ["b/2", "b/3", "b/1", "b/5"])
        #expect(try await store.actions(since: Self.t0.addingTimeInterval(20)).map(\.key) == ["b/3", "b/1", "b/5"])
        #expect(try await store.actions(since: Self.t0.addingTimeInterval(20.001)).map(\.key) == ["b/1", "b/5"])
        #expect(try await store.actions(since: .distantPast).map(\.key) == ["b/4", "b/2", "b/3", "b/1", "b/5"])
        #expect(try await store.actions(since: Self.t0.addingTimeInterval(86_400 * 4)) == [])
        // The intent's time comes back to the millisecond.
        #expect(try await store.actions(since: Self.t0).first?.intent.at == Self.t0.addingTimeInterval(10.25))
        try await CoordinationFixtures.expectValidRequests(emulator)
    }
}
