import Foundation
import GRDB
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

    /// Node b, leading in epoch 2 after node a stopped cleanly, its takeover begun: a led in
    /// epoch 1 and left one intent open (never applied: the table still has 100/50) and one
    /// action made (the table's 100/50 came from it) and not yet verified.
    struct Takeover {
        /// Kept for the test's length: the emulator stops when released.
        let emulator: AWSEmulator
        let table: DynamoDBCoordination
        let now: Date
        let open: SharedAction
        let made: SharedAction
        let b: Node
        let pipeline: ActionPipeline

        init() async throws {
            emulator = try AWSEmulator.start(serialDynamoDB: true)
            try await emulator.seedCartService()
            table = try await TakeoverTests.table(on: emulator)
            now = Date()
            let leaseA = LeaseRecord(holder: "a", recordVersion: "a1", epoch: 1)
            #expect(try await table.replaceLease(expected: nil, with: leaseA))
            open = SharedAction(key: "a/7", node: "a", epoch: 1,
                                intent: try TakeoverTests.intent(.capacity(read: 200, write: 100, fromRead: 100, fromWrite: 50), at: now.addingTimeInterval(-5)))
            made = SharedAction(key: "a/3", node: "a", epoch: 1,
                                intent: try TakeoverTests.intent(.capacity(read: 100, write: 50, fromRead: 50, fromWrite: 25), at: now.addingTimeInterval(-60)))
            #expect(try await table.commitAction(open, lease: leaseA))
            #expect(try await table.commitAction(made, lease: leaseA))
            #expect(try await table.updateAction(key: made.key, at: made.intent.at, outcome: "succeeded", outcomeAt: now.addingTimeInterval(-59), verified: nil))
            #expect(try await table.replaceLease(expected: leaseA, with: LeaseRecord(holder: nil, recordVersion: "a2", epoch: 1)))

            b = try Node("b", on: table, lease: .seconds(20))
            let services = try AWSServices(region: "us-east-1", environment: AWSEnvironment(variables: emulator.environment), logger: TakeoverTests.quiet,
                                           retry: RetryPolicy(baseDelay: .milliseconds(5)))
            pipeline = ActionPipeline(ledger: b.shared, actuator: AWSActuator(services: services), notifier: LogNotifier(logger: TakeoverTests.quiet),
                                      settings: ActionPipelineSettings(), fence: b.shared)
            await b.shared.sync()
            await b.keeper.beat()
            #expect(await b.keeper.role == .leader(epoch: 2))
            b.shared.beginTakeover(epoch: 2)
        }

        /// Completes b's takeover, reconciling through its pipeline.
        func complete() async -> [UnverifiedAction]? {
            let pipeline = self.pipeline
            return await b.shared.completeTakeover(verifyingSince: now.addingTimeInterval(-600)) { await pipeline.reconcile(after: "takeover") }
        }

        /// The intents in b's log, oldest first.
        func intents() throws -> [StoredDecision] {
            try AuditReader(path: b.database).list(DecisionFilter(kind: "action-intent"), limit: 10).reversed()
        }

        /// The shared actions by key, as the table has them.
        func sharedActions() async throws -> [String: SharedAction] {
            Dictionary(uniqueKeysWithValues: try await table.actions(since: now.addingTimeInterval(-600)).map { ($0.key, $0) })
        }
    }

    @Test func aNewLeaderAdoptsWhatTheOldOneLeftAndActsOnlyAfter() async throws {
        let takeover = try await Takeover()
        let (b, open, made) = (takeover.b, takeover.open, takeover.made)
        let refusal = await b.shared.refusal()
        #expect(refusal?.contains("not reconciled yet") == true, "\(refusal ?? "nil")")

        let verifying = try #require(await takeover.complete())
        // Renewed (a loaded machine may have let the lease age during the reconciliation).
        await b.keeper.beat()
        #expect(await b.shared.refusal() == nil)
        // Both adopted into b's log, each reconciled against the table as it is.
        let intents = try takeover.intents()
        #expect(intents.map { $0.record.detail?.hasPrefix("adopted at a takeover: intent of a in epoch 1") } == [true, true])
        let reconciled = try AuditReader(path: b.database).list(DecisionFilter(kind: "action-reconciled"), limit: 10)
        #expect(Set(reconciled.map { "\($0.record.reason ?? "") \($0.record.outcome ?? "")" }) == ["takeover applied", "takeover not-applied"])
        // The open intent is closed for every node; the made action keeps its outcome and is
        // verified here, linked to its adopted intent.
        let after = try await takeover.sharedActions()
        #expect(after[open.key]?.outcome == "not-applied")
        #expect(after[made.key]?.outcome == "succeeded")
        let adoptedMade = try #require(intents.first { $0.record.parameters?.contains("\"fromRead\":50") == true })
        #expect(verifying.map(\.intentID) == [adoptedMade.id])

        // The cooldown counts a's actions; a second takeover in the same epoch adopts nothing more.
        #expect(try b.shared.actions(since: takeover.now.addingTimeInterval(-600)).count == 2)
        #expect(await takeover.complete() == nil)
        #expect(try takeover.intents().count == 2)
    }

    @Test func aTakeoverTheLogRefusesHalfwayIsRetriedAndKeepsWhatItAdoptedToVerify() async throws {
        let takeover = try await Takeover()
        let b = takeover.b
        // b's log takes the made action's adoption (oldest first), then refuses the open one's.
        let refuse = "CREATE TRIGGER refuse_open BEFORE INSERT ON decisions WHEN NEW.parameters LIKE '%\"fromRead\":100%' "
            + "BEGIN SELECT RAISE(ABORT, 'refused by the test'); END"
        try await DatabaseQueue(path: b.database).write { try $0.execute(sql: refuse) }
        #expect(await takeover.complete() == nil)
        #expect(await b.shared.refusal()?.contains("not reconciled yet") == true)
        let first = try takeover.intents()
        #expect(first.map { $0.record.parameters?.contains("\"fromRead\":50") } == [true])

        // The retry adopts the rest, and the action adopted by the first attempt is still verified here.
        try await DatabaseQueue(path: b.database).write { try $0.execute(sql: "DROP TRIGGER refuse_open") }
        let verifying = try #require(await takeover.complete())
        #expect(verifying.map(\.intentID) == [first[0].id])
        #expect(try takeover.intents().count == 2)
        let after = try await takeover.sharedActions()
        #expect(after[takeover.open.key]?.outcome == "not-applied" && after[takeover.made.key]?.outcome == "succeeded")
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
