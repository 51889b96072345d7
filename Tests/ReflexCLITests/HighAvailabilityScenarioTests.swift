import Foundation
import ReflexAudit
import ReflexCore
import ReflexTestSupport
import Testing

/// Two real daemons sharing one coordination table, on an emulator served single-threaded (so
/// that DynamoDB's conditional writes are atomic, as they are in AWS): one leader at a time, a
/// takeover after a kill, a release or a pause, and never an action twice or without a lease.
@Suite(.serialized)
struct HighAvailabilityScenarioTests {
    typealias Running = DaemonTests.Running

    static let throttling = NeverTwiceScenarioTests.throttling
    static let table = "reflex-coordination"

    /// The lease of these tests: a standby takes over 8 s after the last renewal it saw; each
    /// lease call may take 1 s (a loaded machine serving DynamoDB one request at a time).
    static func pair(_ node: String) -> String {
        "ha: { table: \(table), lease: 8s, heartbeat: 2s, node: \(node) }\n"
    }

    /// Only the throttling policy: fewer calls to the single-threaded emulator.
    static func onlyThrottling(_ files: inout [String: String]) {
        files = files.filter { $0.key == throttling + ".yaml" }
    }

    static func world() async throws -> AWSEmulator {
        let emulator = try AWSEmulator.start(serialDynamoDB: true)
        try await emulator.seedCartService()
        return emulator
    }

    static func node(_ name: String, on world: AWSEmulator, webhook: URL? = nil,
                     before: (AWSEmulator) async throws -> Void = { _ in }) async throws -> Running {
        try await Running(watchdog: false, webhook: webhook, world: world, edit: onlyThrottling, config: pair(name), before: before)
    }

    /// `a` leading and `b` its standby on a fresh world; `before` puts what `a`'s first cycle
    /// must see, `webhook` is `b`'s receiver.
    static func leaderAndStandby(webhook: URL? = nil, before: (AWSEmulator) async throws -> Void = { _ in }) async throws
        -> (world: AWSEmulator, a: Running, b: Running) {
        let world = try await Self.world()
        let a = try await Self.node("a", on: world, before: before)
        try await Self.waitForRole(a, "leader-acquired")
        let b = try await Self.node("b", on: world, webhook: webhook)
        try await Self.waitForRole(b, "standby")
        return (world, a, b)
    }

    static func throttle(_ emulator: AWSEmulator) async throws {
        try await ScenarioTests.put(emulator, "AWS/DynamoDB", "ThrottledRequests", ScenarioTests.table, ScenarioTests.ongoing(), 40)
    }

    static func roleChanges(_ daemon: Running, _ event: String) throws -> [StoredDecision] {
        try daemon.decisions("leadership-changed").filter { $0.record.reason == event }
    }

    @discardableResult
    static func waitForRole(_ daemon: Running, _ event: String, count: Int = 1, timeout: TimeInterval = 60) async throws -> [StoredDecision] {
        try await daemon.wait(for: "leadership-changed", count: count, timeout: timeout, matching: { $0.record.reason == event })
    }

    static func mutatingCalls(_ world: AWSEmulator) async throws -> Int {
        let calls = try await world.calls()
        return (calls["DynamoDB_20120810.UpdateTable"] ?? 0) + (calls["AmazonEC2ContainerServiceV20141113.UpdateService"] ?? 0)
    }

    /// The epochs `nodes` took the lease in, all together.
    static func epochNumbers(_ nodes: [Running]) throws -> [Int] {
        try nodes.flatMap { try roleChanges($0, "leader-acquired").compactMap { $0.record.outcome.flatMap { Int($0.dropFirst("epoch ".count)) } } }
    }

    @Test func aLeaderKilledAfterActingIsFollowedByAStandbyThatHonoursTheSameCooldown() async throws {
        let receiver = try WebhookReceiver.start()
        try await receiver.verify(with: ["whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"])
        let (world, a, b) = try await Self.leaderAndStandby(webhook: receiver.url, before: Self.throttle)
        let executed = try await a.wait(for: "action-executed", policy: Self.throttling)
        #expect(executed.count == 1)
        // b judges the same incident and holds: only the leader acts.
        let held = try await b.wait(for: "action-held", policy: Self.throttling)
        #expect(held.first?.record.reason == "not-leader")

        let killedAt = Date()
        a.signal(SIGKILL)
        let acquired = try await Self.waitForRole(b, "leader-acquired")
        print("takeover after kill -9: \(String(format: "%.1f", acquired[0].record.at.timeIntervalSince(killedAt))) s (lease 8 s, heartbeat 2 s)")
        // Exactly one leader per epoch, b's after all of a's.
        let epochs = try Self.epochNumbers([a, b])
        #expect(Set(epochs).count == epochs.count, "\(epochs)")
        #expect(try Self.epochNumbers([b]).max() == epochs.max())
        // Told to webhooks, signed: first the standby, then the takeover.
        #expect(try await eventually(timeout: .seconds(30)) {
            let changes = try await receiver.received().filter { $0.body.contains("\"type\":\"daemon.leader_changed\"") && $0.signature_valid }
            return changes.contains { $0.body.contains("\"reason\":\"standby\"") } && changes.contains { $0.body.contains("\"reason\":\"leader-acquired\"") }
        })
        // The new leader sees the incident and a's action: the shared cooldown holds it.
        let cooldown = try await b.wait(for: "action-held", policy: Self.throttling, timeout: 30, matching: { $0.record.reason == "cooldown" })
        #expect(cooldown.count >= 1)
        print("first guardrail decision as leader: \(String(format: "%.1f", cooldown[0].record.at.timeIntervalSince(acquired[0].record.at))) s after the takeover (poll 1 s)")
        for _ in 0..<3 { try await b.socket.wait(for: { $0.hasPrefix("STATUS=leader (epoch ") }, after: b.socket.lines.count) }
        #expect(try await Self.mutatingCalls(world) == 1, "one node alone would have raised the capacity once")
        // b made no intent of its own; if a died before writing its outcome, b adopted a's
        // intent and found it applied, without calling AWS.
        let intents = try b.decisions("action-intent")
        #expect(intents.allSatisfy { $0.record.detail?.hasPrefix("adopted at a takeover: intent of a in epoch ") == true }, "\(intents)")
        #expect(try b.decisions("action-reconciled").allSatisfy { $0.record.outcome == "applied" })
        #expect(try await b.stop() == 0)
    }

    @Test func aPausedLeaderLosesTheLeaseMakesNoCallAndRecordsIt() async throws {
        let (world, a, b) = try await Self.leaderAndStandby()
        // a stops in its tracks for longer than the lease; meanwhile the incident starts.
        a.signal(SIGSTOP)
        try await Self.throttle(world)
        try await Self.waitForRole(b, "leader-acquired")
        let executed = try await b.wait(for: "action-executed", policy: Self.throttling)
        #expect(executed.count == 1)
        a.signal(SIGCONT)
        let lost = try await Self.waitForRole(a, "leader-lost", timeout: 30)
        #expect(lost.first?.record.detail?.contains("another node holds it") == true)
        // a judges the incident after waking up, and holds: it no longer leads.
        let held = try await a.wait(for: "action-held", policy: Self.throttling, timeout: 30)
        #expect(held.allSatisfy { $0.record.reason == "not-leader" })
        for _ in 0..<3 { try await a.socket.wait(for: { $0.hasPrefix("STATUS=standby, leader is b") }, after: a.socket.lines.count) }
        #expect(try a.decisions("action-intent").isEmpty)
        #expect(try await Self.mutatingCalls(world) == 1)
        let status = try await ReflexBinary.run(["status", "--config", a.directory + "/reflex.yaml"], environment: world.environment)
        #expect(status.stdout.contains("standby, leader is b"), "\(status.stdout)")
        #expect(try await a.stop() == 0)
        #expect(try await b.stop() == 0)
    }

    @Test func aCleanStopHandsTheLeaseOverAtTheNextHeartbeat() async throws {
        let (world, a, b) = try await Self.leaderAndStandby()
        let stoppedAt = Date()
        #expect(try await a.stop() == 0)
        let acquired = try await Self.waitForRole(b, "leader-acquired", timeout: 30)
        // Not after a lease: the released lease is taken at the next read.
        #expect(acquired[0].record.detail?.contains("released by its holder") == true, "\(acquired[0].record.detail ?? "")")
        print("takeover after a clean stop: \(String(format: "%.1f", acquired[0].record.at.timeIntervalSince(stoppedAt))) s (heartbeat 2 s)")
        // The operator's switch, set from the other host's config, holds the new leader. Its write
        // answers slower than a lease call may take: an operator's command is not bound by the lease.
        try await world.inject([.init(target: "DynamoDB_20120810.PutItem", count: 1, match: "safe-mode", delayAfter: 1.5)])
        let on = try await ReflexBinary.run(["safe-mode", "on", "--config", a.directory + "/reflex.yaml"], environment: world.environment)
        #expect(on.status == 0 && on.stdout.contains("for every node through \(Self.table)"), "\(on.stdout)\(on.stderr)")
        try await Self.throttle(world)
        let held = try await b.wait(for: "action-held", policy: Self.throttling, matching: { $0.record.reason == "safe-mode" })
        #expect(held.count == 1)
        #expect(try await Self.mutatingCalls(world) == 0)
        let circuits = try await ReflexBinary.run(["circuit", "list", "--config", b.directory + "/reflex.yaml"], environment: world.environment)
        #expect(circuits.stdout.contains("no open circuits (shared through \(Self.table))"), "\(circuits.stdout)\(circuits.stderr)")
        let off = try await ReflexBinary.run(["safe-mode", "off", "--config", a.directory + "/reflex.yaml"], environment: world.environment)
        #expect(off.status == 0, "\(off.stderr)")
        #expect(try await b.wait(for: "action-executed", policy: Self.throttling, timeout: 30).count == 1)
        #expect(try await Self.mutatingCalls(world) == 1)
        #expect(try await b.stop() == 0)
    }

    @Test func aLeadershipChangeTheLockedLogRefusesIsRecordedOnceItTakesWrites() async throws {
        let (world, a, b) = try await Self.leaderAndStandby()
        // b's log is locked when b takes the lease, for longer than the writes queued before the
        // role change can wait for it (10 s each): the role change's own write is refused.
        let locker = try NeverTwiceScenarioTests.holdExclusiveLock(on: b.database, for: 50)
        #expect(try await a.stop() == 0)
        locker.waitUntilExit()
        let acquired = try await Self.waitForRole(b, "leader-acquired", timeout: 60)
        #expect(acquired.first?.record.detail?.contains("released by its holder") == true)
        // Leading, it acts on an incident like any leader.
        try await Self.throttle(world)
        #expect(try await b.wait(for: "action-executed", policy: Self.throttling, timeout: 60).count == 1)
        #expect(try await b.stop() == 0)
    }

    @Test func withoutARenewedLeaseNoNodeActsWhileEvaluationAndRecordingGoOn() async throws {
        let world = try await Self.world()
        let a = try await Self.node("a", on: world)
        try await Self.waitForRole(a, "leader-acquired")
        // Every lease read and write fails from now on.
        try await world.inject([.init(target: "GetItem", status: 500, code: "InternalServerError", count: 5_000),
                                .init(target: "PutItem", status: 500, code: "InternalServerError", count: 5_000),
                                .init(target: "TransactWriteItems", status: 500, code: "InternalServerError", count: 5_000)])
        try await Self.throttle(world)
        let fired = try await a.wait(for: "state-change", policy: Self.throttling, matching: { $0.record.stateTo == "firing" })
        #expect(fired.count == 1, "the policy saw the incident")
        let held = try await a.wait(for: "action-held", policy: Self.throttling, timeout: 30)
        #expect(held.first?.record.reason == "not-leader")
        try await Self.waitForRole(a, "leader-lost", timeout: 30)
        for _ in 0..<3 { try await a.socket.wait(for: { $0.contains("1 firing") }, after: a.socket.lines.count) }
        // An intent made while the lease was still fresh could not reach the table: closed as
        // not attempted, without a call.
        let refused = try a.decisions("action-failed")
        #expect(try a.decisions("action-intent").map(\.id) == refused.map { $0.record.intentID })
        #expect(refused.allSatisfy { $0.record.outcome == "not-attempted" && $0.record.reason == "not-leader" })
        #expect(try a.decisions("action-executed").isEmpty)
        #expect(try await Self.mutatingCalls(world) == 0)
        // DynamoDB answers again: the lease is taken anew and the standing verdict acted on.
        try await world.clearFaults()
        try await Self.waitForRole(a, "leader-acquired", count: 2, timeout: 60)
        #expect(try await a.wait(for: "action-executed", policy: Self.throttling).count == 1)
        #expect(try await Self.mutatingCalls(world) == 1)
        #expect(try await a.stop() == 0)
    }

    @Test func aTableCheckSlowerThanALeaseCallDoesNotStopTheStart() async throws {
        let world = try await Self.world()
        // The first DescribeTable answers after 3 s, longer than a lease call may take (1 s):
        // start-up is not bound by the lease, so the daemon waits for it (or retries) and leads.
        try await world.inject([.init(target: "DynamoDB_20120810.DescribeTable", count: 1, delayAfter: 3)])
        let created = try await world.calls()["DynamoDB_20120810.CreateTable"] ?? 0
        let a = try await Self.node("a", on: world)
        try await Self.waitForRole(a, "leader-acquired")
        #expect(try await world.calls()["DynamoDB_20120810.CreateTable"] == created + 1, "the coordination table, once")
        #expect(try await a.stop() == 0)
    }

    @Test func aTableThatCannotBeCreatedStopsTheStartNamingTableAndPermission() async throws {
        let world = try AWSEmulator.start(serialDynamoDB: true)
        try await world.inject([.init(target: "CreateTable", status: 400, code: "AccessDeniedException")])
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("reflex-ha-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory + "/policies", withIntermediateDirectories: true)
        try "policies: policies\nallow_no_policies: true\ndatabase: \(directory)/reflex.db\n\(Self.pair("a"))"
            .write(toFile: directory + "/reflex.yaml", atomically: true, encoding: .utf8)
        let run = try await ReflexBinary.run(["run", "--config", directory + "/reflex.yaml"], environment: world.environment, timeout: 60)
        #expect(run.status == 2)
        #expect(run.stderr.contains("the coordination table \(Self.table) does not exist and cannot be created")
            && run.stderr.contains("dynamodb:CreateTable") && run.stderr.contains("AccessDeniedException"), "\(run.stderr)")
        #expect(!run.stderr.contains(world.secretAccessKey))
        #expect(try await world.calls()["DynamoDB_20120810.CreateTable"] == 1)
    }
}
