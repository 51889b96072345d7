import Foundation
import ReflexAWS
import ReflexCore
import ReflexTestSupport
import Testing

/// Safe mode and circuits as every node reads them, and the Query under them paged.
struct CoordinationSwitchTests {
    struct QueryParameters: Decodable, Sendable {
        let ConsistentRead: Bool?
        let ExclusiveStartKey: DynamoDBClient.Item?
    }

    @Test func switchesRoundTrip() async throws {
        let emulator = try await CoordinationFixtures.emulator()
        let store = try await CoordinationFixtures.readyStore(emulator)
        let at = Date(timeIntervalSince1970: 1_780_000_000)
        #expect(try await store.switches() == SharedSwitches())

        let rollback = CircuitKey(policy: "cart-rollback", target: "ecs:ecommerce/cart-service")
        let scaling = CircuitKey(policy: "carts-capacity", target: "dynamodb:cart-service-carts")
        // Names that would clash if the sort key joined them plainly with `#`.
        let oddA = CircuitKey(policy: "p#x", target: "t"), oddB = CircuitKey(policy: "p", target: "x#t")
        try await store.setSafeMode(true, by: "alice", at: at)
        for circuit in [rollback, scaling, oddA, oddB] {
            try await store.setCircuit(circuit, open: true, reason: "did not help", at: at)
        }
        try await store.setCircuit(scaling, open: false, reason: "closed by alice", at: at.addingTimeInterval(60))
        // Another node's client reads the same.
        let other = CoordinationFixtures.store(emulator)
        #expect(try await other.switches() == SharedSwitches(safeMode: true, openCircuits: [rollback, oddA, oddB]))
        try await other.setSafeMode(false, by: "bob", at: at.addingTimeInterval(120))
        #expect(try await store.switches().safeMode == false)

        let queries = try await emulator.recordedParameters(of: "Query", as: QueryParameters.self)
        #expect(!queries.isEmpty && queries.allSatisfy { $0.ConsistentRead == true })
        try await CoordinationFixtures.expectValidRequests(emulator)
    }

    @Test func queriesFollowLastEvaluatedKey() async throws {
        let emulator = try await CoordinationFixtures.emulator()
        let store = try await CoordinationFixtures.readyStore(emulator)
        let at = Date(timeIntervalSince1970: 1_780_000_000)
        let first = CircuitKey(policy: "a", target: "t"), second = CircuitKey(policy: "b", target: "t")
        try await store.setCircuit(first, open: true, reason: "r", at: at)
        try await store.setCircuit(second, open: true, reason: "r", at: at)
        // A first page as DynamoDB cuts one at 1 MB (moto never does): one item and where to go on.
        let page = #"{"Count":1,"ScannedCount":1,"Items":[{"pk":{"S":"switch"},"sk":{"S":"circuit#a#t"},"policy":{"S":"a"},"#
            + #""target":{"S":"t"},"open":{"BOOL":true},"reason":{"S":"r"},"at":{"S":"x"}}],"#
            + #""LastEvaluatedKey":{"pk":{"S":"switch"},"sk":{"S":"circuit#a#t"}}}"#
        try await emulator.inject([.init(target: "Query", status: 200, body: page)])
        #expect(try await store.switches() == SharedSwitches(openCircuits: [first, second]))
        let queries = try await emulator.recordedParameters(of: "Query", as: QueryParameters.self)
        #expect(queries.map(\.ExclusiveStartKey) == [nil, ["pk": .string("switch"), "sk": .string("circuit#a#t")]])
        try await CoordinationFixtures.expectValidRequests(emulator)
    }
}
