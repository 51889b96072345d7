import Foundation
import ReflexAWS
import ReflexCore
import ReflexTestSupport
import Testing

/// Coordination tables on a single-threaded emulator (conditional writes are atomic only there).
enum CoordinationFixtures {
    static let table = "reflex-coordination"

    /// An emulator of its own (for its recording), recording from the start.
    static func emulator() async throws -> AWSEmulator {
        let emulator = try AWSEmulator.start(serialDynamoDB: true)
        try await emulator.startRecordingRequests()
        return emulator
    }

    /// A store with a client of its own, as another node would have.
    static func store(_ emulator: AWSEmulator, table: String = table) -> DynamoDBCoordination {
        DynamoDBCoordination(dynamoDB: DynamoDBClient(client: emulator.client(.dynamoDB)), table: table, tableWait: .seconds(60),
                             tablePoll: .milliseconds(100))
    }

    /// A store whose table exists.
    static func readyStore(_ emulator: AWSEmulator) async throws -> DynamoDBCoordination {
        let store = store(emulator)
        try await store.ensureTable()
        return store
    }

    /// A ready store on an emulator of its own, whose lease `holder` took in `epoch`.
    static func leased(by holder: String, epoch: Int) async throws -> (emulator: AWSEmulator, store: DynamoDBCoordination, lease: LeaseRecord) {
        let emulator = try await emulator()
        let store = try await readyStore(emulator)
        let lease = LeaseRecord(holder: holder, recordVersion: "r1", epoch: epoch)
        #expect(try await store.replaceLease(expected: nil, with: lease))
        return (emulator, store, lease)
    }

    static func intent(at: Date, policy: String = "cart-rollback", target: String = "ecs:ecommerce/cart-service") -> DecisionRecord {
        DecisionRecord(at: at, kind: .actionIntent, policy: policy, target: target, reason: "threshold", evidence: #"{"p99":812}"#,
                       action: "ecs_rollback", parameters: #"{"from":3,"to":2}"#, mode: "enforce", intentID: 7)
    }

    /// Every request the emulator recorded is a valid call by botocore's model.
    static func expectValidRequests(_ emulator: AWSEmulator, sourceLocation: SourceLocation = #_sourceLocation) async throws {
        let recorded = try await emulator.recordedRequests()
        #expect(!recorded.isEmpty, sourceLocation: sourceLocation)
        #expect(recorded.allSatisfy { $0.problems.isEmpty }, "\(recorded.filter { !$0.problems.isEmpty })", sourceLocation: sourceLocation)
    }
}
