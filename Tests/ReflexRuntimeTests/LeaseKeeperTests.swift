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
        // One attempt, half a second: what the daemon's lease calls get for a 1 s heartbeat.
        let client = emulator.client(.dynamoDB, retry: RetryPolicy(maxAttempts: 1), timeout: .milliseconds(500))
        let table = DynamoDBCoordination(dynamoDB: DynamoDBClient(client: client), table: "reflex-coordination")
        try await table.ensureTable()
        let keeper = LeaseKeeper(election: LeaseElection(node: "a", lease: .seconds(6), heartbeat: .seconds(1), callTimeout: .milliseconds(500)),
                                 store: table, logger: Self.quiet)
        await keeper.beat()
        #expect(await keeper.role == .leader(epoch: 1))
        // The next renewal is held for a second: the keeper gives up on its answer, the
        // emulator writes it after all.
        try await emulator.inject([.init(target: "PutItem", delay: 1.0, count: 1)])
        await keeper.beat()
        try await Task.sleep(for: .milliseconds(1500))
        let landed = try #require(try await table.readLease())
        #expect(landed.holder == "a")
        // Refused (the record changed under it), the keeper finds its own write: still the leader.
        await keeper.beat()
        #expect(await keeper.role == .leader(epoch: 1))
        #expect(await keeper.actingLease() == landed)
        await keeper.beat()
        #expect(try await table.readLease()?.recordVersion != landed.recordVersion, "renewed from the write that landed")
        #expect(await keeper.role == .leader(epoch: 1))
    }
}
