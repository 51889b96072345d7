import Foundation
import Logging
import ReflexAudit
import ReflexAWS
import ReflexCore
import ReflexRuntime
import ReflexTestSupport
import Testing

/// A new leader's takeover on a real coordination table and a real decision log: what the
/// old leader left open is adopted and reconciled against the target, what it made goes on
/// being verified, and only then does the new leader act, under its own epoch.
struct TakeoverTests {
    static let quiet = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })

    static func intent(_ change: PlannedChange, at: Date) throws -> DecisionRecord {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return DecisionRecord(at: at, kind: .actionIntent, policy: "cart-dynamodb-throttling", target: "dynamodb:cart-service-carts",
                              reason: "breached", detail: change.summary, action: "dynamodb_capacity",
                              parameters: String(decoding: try encoder.encode(change), as: UTF8.self), mode: "enforce")
    }

    /// A node of a pair on `table`: its own decision log, lease keeper and shared copy.
    struct Node {
        let database: String
        let keeper: LeaseKeeper
        let shared: SharedGuardrails

        init(_ name: String, on table: DynamoDBCoordination, lease: Duration) throws {
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("reflex-\(name)-\(UUID().uuidString)").path
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            database = directory + "/reflex.db"
            keeper = LeaseKeeper(election: LeaseElection(node: name, lease: lease, heartbeat: .seconds(5), callTimeout: .seconds(2)),
                                 store: table, logger: TakeoverTests.quiet)
            shared = SharedGuardrails(local: try DecisionStore(path: database), store: table, keeper: keeper, node: name, logger: TakeoverTests.quiet)
        }
    }

    /// The coordination table on `emulator`, created.
    static func table(on emulator: AWSEmulator) async throws -> DynamoDBCoordination {
        let table = DynamoDBCoordination(dynamoDB: DynamoDBClient(client: emulator.client(.dynamoDB)), table: "reflex-coordination")
        try await table.ensureTable()
        return table
    }

    @Test func aNewLeaderAdoptsWhatTheOldOneLeftAndActsOnlyAfter() async throws {
        let emulator = try AWSEmulator.start(serialDynamoDB: true)
        try await emulator.seedCartService()
        let table = try await Self.table(on: emulator)

        // Node a led in epoch 1: one intent left open (never applied: the table still has
        // 100/50), one action made (the table's 100/50 came from it) and not yet verified.
        let leaseA = LeaseRecord(holder: "a", recordVersion: "a1", epoch: 1)
        #expect(try await table.replaceLease(expected: nil, with: leaseA))
        let now = Date()
        let open = SharedAction(key: "a/7", node: "a", epoch: 1,
                                intent: try Self.intent(.capacity(read: 200, write: 100, fromRead: 100, fromWrite: 50), at: now.addingTimeInterval(-5)))
        let made = SharedAction(key: "a/3", node: "a", epoch: 1,
                                intent: try Self.intent(.capacity(read: 100, write: 50, fromRead: 50, fromWrite: 25), at: now.addingTimeInterval(-60)))
        #expect(try await table.commitAction(open, lease: leaseA))
        #expect(try await table.commitAction(made, lease: leaseA))
        #expect(try await table.updateAction(key: made.key, at: made.intent.at, outcome: "succeeded", outcomeAt: now.addingTimeInterval(-59), verified: nil))
        // a stops cleanly: it releases the lease.
        #expect(try await table.replaceLease(expected: leaseA, with: LeaseRecord(holder: nil, recordVersion: "a2", epoch: 1)))

        // Node b takes over.
        let b = try Node("b", on: table, lease: .seconds(20))
        let (keeper, shared) = (b.keeper, b.shared)
        let services = try AWSServices(region: "us-east-1", environment: AWSEnvironment(variables: emulator.environment), logger: Self.quiet,
                                       retry: RetryPolicy(baseDelay: .milliseconds(5)))
        let pipeline = ActionPipeline(ledger: shared, actuator: AWSActuator(services: services), notifier: LogNotifier(logger: Self.quiet),
                                      settings: ActionPipelineSettings(), fence: shared)
        await shared.sync()
        await keeper.beat()
        #expect(await keeper.role == .leader(epoch: 2))
        shared.beginTakeover(epoch: 2)
        let refusal = await shared.refusal()
        #expect(refusal?.contains("not reconciled yet") == true, "\(refusal ?? "nil")")

        let verifying = try #require(await shared.completeTakeover(verifyingSince: now.addingTimeInterval(-600)) {
            await pipeline.reconcile(after: "takeover")
        })
        // Renewed (a loaded machine may have let the lease age during the reconciliation).
        await keeper.beat()
        #expect(await shared.refusal() == nil)
        // Both adopted into b's log, each reconciled against the table as it is.
        let intents = try AuditReader(path: b.database).list(DecisionFilter(kind: "action-intent"), limit: 10).reversed()
        #expect(intents.map { $0.record.detail?.hasPrefix("adopted at a takeover: intent of a in epoch 1") } == [true, true])
        let reconciled = try AuditReader(path: b.database).list(DecisionFilter(kind: "action-reconciled"), limit: 10)
        #expect(Set(reconciled.map { "\($0.record.reason ?? "") \($0.record.outcome ?? "")" }) == ["takeover applied", "takeover not-applied"])
        // The open intent is closed for every node; the made action keeps its outcome and is
        // verified here, linked to its adopted intent.
        let after = Dictionary(uniqueKeysWithValues: try await table.actions(since: now.addingTimeInterval(-600)).map { ($0.key, $0) })
        #expect(after[open.key]?.outcome == "not-applied")
        #expect(after[made.key]?.outcome == "succeeded")
        let adoptedMade = try #require(intents.first { $0.record.parameters?.contains("\"fromRead\":50") == true })
        #expect(verifying.map(\.intentID) == [adoptedMade.id])

        // The cooldown counts a's actions; a second takeover in the same epoch adopts nothing more.
        #expect(try shared.actions(since: now.addingTimeInterval(-600)).count == 2)
        #expect(await shared.completeTakeover(verifyingSince: .distantPast) { await pipeline.reconcile(after: "takeover") } == nil)
        #expect(try AuditReader(path: b.database).list(DecisionFilter(kind: "action-intent"), limit: 10).count == 2)
    }
}

/// The leader's copy of the shared state while a read of it is under way.
struct SharedCopyTests {
    @Test func anActionCommittedWhileTheCopyIsReadIsNotLostFromIt() async throws {
        let emulator = try AWSEmulator.start(serialDynamoDB: true)
        let table = try await TakeoverTests.table(on: emulator)
        let a = try TakeoverTests.Node("a", on: table, lease: .seconds(60))
        let (keeper, shared) = (a.keeper, a.shared)
        await keeper.beat()
        shared.beginTakeover(epoch: 1)
        #expect(try #require(await shared.completeTakeover(verifyingSince: .distantPast) {}).isEmpty)
        #expect(await shared.refusal() == nil)

        // The next read of the actions is answered as of its arrival, 2 s before it returns;
        // meanwhile an intent is written, acted on and its outcome recorded.
        try await emulator.inject([.init(target: "DynamoDB_20120810.Query", count: 1, delayAfter: 2)])
        let reading = Task { await shared.sync() }
        try await Task.sleep(for: .milliseconds(500))
        let at = Date()
        let intent = try TakeoverTests.intent(.capacity(read: 200, write: 100, fromRead: 100, fromWrite: 50), at: at)
        let id = try shared.append(intent)
        try await shared.admit(intent, id: id)
        var executed = intent
        executed.kind = .actionExecuted
        executed.intentID = id
        executed.outcome = "succeeded"
        _ = try shared.append(executed)
        await reading.value

        // The cooldown still sees the action, and its outcome reaches the table at the next sync.
        #expect(try shared.actions(since: at.addingTimeInterval(-1)).count == 1)
        await shared.sync()
        #expect(try shared.actions(since: at.addingTimeInterval(-1)).count == 1)
        #expect(try await table.actions(since: at.addingTimeInterval(-1)).map(\.outcome) == ["succeeded"])
    }
}
