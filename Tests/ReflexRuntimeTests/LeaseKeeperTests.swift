import Foundation
import Logging
import ReflexAWS
import ReflexCore
import ReflexRuntime
import ReflexTestSupport
import Testing

/// The lease keeper against a real coordination table.
struct LeaseKeeperTests {
    static let quiet = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })

    @Test func aRenewalThatLandedAfterItsTimeoutKeepsTheLease() async throws {
        let emulator = try AWSEmulator.start(serialDynamoDB: true)
        try await DynamoDBCoordination(dynamoDB: DynamoDBClient(client: emulator.client(.dynamoDB)), table: "reflex-coordination").ensureTable()
        // One attempt bounded by the call timeout, as the daemon's lease calls are.
        let client = emulator.client(.dynamoDB, retry: RetryPolicy(maxAttempts: 1), timeout: .seconds(2))
        let table = DynamoDBCoordination(dynamoDB: DynamoDBClient(client: client), table: "reflex-coordination")
        let keeper = LeaseKeeper(election: LeaseElection(node: "a", lease: .seconds(20), heartbeat: .seconds(4), callTimeout: .seconds(2)),
                                 store: table, logger: Self.quiet)
        await keeper.beat()
        #expect(await keeper.role == .leader(epoch: 1))
        // The next renewal is held for 3 s: the keeper gives up on its answer after 2, the
        // emulator writes it after all.
        try await emulator.inject([.init(target: "PutItem", delay: 3.0, count: 1)])
        await keeper.beat()
        try await Task.sleep(for: .milliseconds(2500))
        let landed = try #require(try await table.readLease())
        #expect(landed.holder == "a")
        // Refused (the record changed under it), the keeper finds its own write: still the leader.
        await keeper.beat()
        #expect(await keeper.role == .leader(epoch: 1))
        await keeper.beat()
        #expect(try await table.readLease()?.recordVersion != landed.recordVersion, "renewed, conditional on the write that landed")
        #expect(await keeper.role == .leader(epoch: 1))
    }
}
