import Foundation
import ReflexAudit
import ReflexCore
import ReflexTestSupport
import Testing

/// The cart-service runbook, played against the emulator with the real daemon: each incident
/// is detected and handled as a careful on-call engineer would. Every scenario prints the time
/// from the breaching data being visible to the action, and the AWS calls it took.
@Suite(.serialized)
struct ScenarioTests {
    typealias Running = DaemonTests.Running

    /// Minute-aligned moments, `back` minutes ago for each of `minutes`.
    static func minutes(_ range: ClosedRange<Int>) -> [Date] {
        let now = Int(Date().timeIntervalSince1970)
        return range.map { Date(timeIntervalSince1970: Double(now - now % 60 - $0 * 60)) }
    }

    /// An incident's minutes, put while the daemon runs: the last eight and the current one.
    /// Without the current minute, a put computed just before a minute boundary that lands
    /// after the daemon's fetch at that boundary leaves the newest judged period empty at the
    /// next fetch too, and the incident is never seen whole.
    static func ongoing() -> [Date] { minutes(0...8) }

    static let alb = ["LoadBalancer": "app/cart-alb/50dc6c495c0c9188"]
    static let table = ["TableName": "cart-service-carts"]
    static let service = ["ClusterName": "ecommerce", "ServiceName": "cart-service"]

    /// Puts `value` for `metric` at each of `minutes`.
    static func put(_ daemon: Running, _ namespace: String, _ metric: String, _ dimensions: [String: String], _ minutes: [Date], _ value: Double) async throws {
        try await put(daemon.emulator, namespace, metric, dimensions, minutes, value)
    }

    static func put(_ emulator: AWSEmulator, _ namespace: String, _ metric: String, _ dimensions: [String: String], _ minutes: [Date], _ value: Double) async throws {
        try await emulator.putMetricData(namespace: namespace, metric: metric, dimensions: dimensions, points: minutes.map { ($0, value) })
    }

    /// The 5xx spike: `errors` per 1,000 requests over the last eight minutes and this one.
    static func spike(_ daemon: Running, errors: Double) async throws {
        try await spike(daemon.emulator, errors: errors)
    }

    static func spike(_ emulator: AWSEmulator, errors: Double) async throws {
        try await put(emulator, "AWS/ApplicationELB", "RequestCount", alb, ongoing(), 1000)
        try await put(emulator, "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", alb, ongoing(), errors)
    }

    static func report(_ name: String, _ daemon: Running, from start: Date, action: StoredDecision?) async throws {
        let calls = try await daemon.emulator.calls()
        let seconds = action.map { String(format: "%.1f s", $0.record.at.timeIntervalSince(start)) } ?? "no action"
        let summary = calls.sorted { $0.key < $1.key }.map { "\($0.key.split(separator: ".").last ?? ""): \($0.value)" }.joined(separator: ", ")
        print("SCENARIO \(name): breach visible -> action \(seconds); AWS calls: \(summary)")
    }

    @Test func fiveXXAfterADeployRollsBackOnce() async throws {
        // The spike is under way when the daemon starts: the figure runs from its start.
        let daemon = try await Running(watchdog: false, before: { try await Self.spike($0, errors: 60) })
        let start = Date()
        let executed = try await daemon.wait(for: "action-executed", policy: "cart-rollback-on-5xx-after-deploy")
        #expect(executed.first?.record.detail == "task definition revision 3 -> 2")
        try await Task.sleep(for: .seconds(3))
        #expect(try daemon.decisions("action-executed", policy: "cart-rollback-on-5xx-after-deploy").count == 1)
        let service = try await daemon.emulator.describeServiceTaskDefinition()
        #expect(service.hasSuffix(":2"))
        try await Self.report("5xx after deploy", daemon, from: start, action: executed.first)
        #expect(try await daemon.stop(within: 90) == 0)
    }

    @Test func theSameSpikeWithoutARecentDeployOnlyNotifies() async throws {
        // "Recent" is 1 s here, so the deploy made when the world was seeded is old news.
        let daemon = try await Running(watchdog: false, edit: { files in
            files["cart-rollback.yaml"] = files["cart-rollback.yaml"]!.replacingOccurrences(of: "deployed_within: 30m", with: "deployed_within: 1s")
        })
        try await Task.sleep(for: .seconds(2))
        let start = Date()
        try await Self.spike(daemon, errors: 60)
        let held = try await daemon.wait(for: "action-held", policy: "cart-rollback-on-5xx-after-deploy")
        #expect(held.first?.record.reason == "gate")
        #expect(try daemon.decisions("action-executed", policy: "cart-rollback-on-5xx-after-deploy").isEmpty)
        #expect(try await daemon.emulator.describeServiceTaskDefinition().hasSuffix(":3"))
        try await Self.report("5xx without recent deploy", daemon, from: start, action: nil)
        #expect(try await daemon.stop() == 0)
    }

    @Test func sustainedThrottlingRaisesCapacityToItsCeilingThenHolds() async throws {
        let daemon = try await Running(watchdog: false, edit: { files in
            files["cart-dynamodb-throttling.yaml"] = files["cart-dynamodb-throttling.yaml"]!.replacingOccurrences(of: "cooldown: 10m", with: "cooldown: 2s")
        }, before: { try await Self.put($0, "AWS/DynamoDB", "ThrottledRequests", Self.table, Self.minutes(1...8), 40) })
        let start = Date()
        let executed = try await daemon.wait(for: "action-executed", policy: "cart-dynamodb-throttling", count: 2)
        #expect(executed.map(\.record.detail) == ["capacity read 100 -> 200, write 50 -> 100", "capacity read 200 -> 400, write 100 -> 200"])
        let held = try await daemon.wait(for: "action-held", policy: "cart-dynamodb-throttling") { $0.record.reason == "no-change" }
        #expect(held.first?.record.detail?.contains("capacity already read 400, write 200") == true)
        try await Self.report("DynamoDB throttling", daemon, from: start, action: executed.first)
        #expect(try await daemon.stop() == 0)
    }

    @Test func throttlingForOneMinuteDoesNothing() async throws {
        let daemon = try await Running(watchdog: false)
        try await Self.put(daemon, "AWS/DynamoDB", "ThrottledRequests", Self.table, Self.minutes(2...2), 40)
        try await daemon.socket.wait(for: { $0.hasPrefix("STATUS=7 policies") })
        try await Task.sleep(for: .seconds(3))
        #expect(try daemon.decisions("action-executed").isEmpty)
        #expect(try daemon.decisions("action-intent").isEmpty)
        #expect(try await daemon.stop() == 0)
    }

    @Test func slowWithoutThrottlingAndBusyScalesOutWithinBoundsOnce() async throws {
        let daemon = try await Running(watchdog: false, edit: { files in
            // The emulator answers p99 queries over real data with HTTP 500: Maximum stands in.
            files["cart-latency.yaml"] = files["cart-latency.yaml"]!.replacingOccurrences(of: "mode: dry-run", with: "mode: enforce")
                .replacingOccurrences(of: "stat: p99", with: "stat: Maximum")
        }, before: { emulator in
            try await Self.put(emulator, "AWS/ApplicationELB", "TargetResponseTime", Self.alb, Self.minutes(1...8), 0.9)
            try await Self.put(emulator, "AWS/ECS", "CPUUtilization", Self.service, Self.minutes(1...8), 85)
        })
        let start = Date()
        let executed = try await daemon.wait(for: "action-executed", policy: "cart-latency-scale-out")
        #expect(executed.first?.record.detail == "desired count 4 -> 6")
        try await Task.sleep(for: .seconds(3))
        // The 15-minute cooldown holds the next cycles back.
        #expect(try daemon.decisions("action-executed", policy: "cart-latency-scale-out").count == 1)
        // (A cycle may offer the verdict again while the first action is still in flight: held so, then by the cooldown.)
        let held = try daemon.decisions("action-held", policy: "cart-latency-scale-out").compactMap(\.record.reason)
        #expect(held.contains("cooldown") && Set(held).isSubset(of: ["in-flight", "cooldown"]), "\(held)")
        try await Self.report("latency without throttling", daemon, from: start, action: executed.first)
        #expect(try await daemon.stop() == 0)
    }

    @Test func slowAndThrottledRaisesReadCapacity() async throws {
        let daemon = try await Running(watchdog: false, edit: { files in
            files["cart-latency.yaml"] = files["cart-latency.yaml"]!.replacingOccurrences(of: "stat: p99", with: "stat: Maximum")
        }, before: { emulator in
            try await Self.put(emulator, "AWS/ApplicationELB", "TargetResponseTime", Self.alb, Self.minutes(1...8), 0.9)
            // A little throttling: the latency policy's cause, below the throttling policy's own threshold.
            try await Self.put(emulator, "AWS/DynamoDB", "ThrottledRequests", Self.table, Self.minutes(1...8), 5)
        })
        let start = Date()
        let executed = try await daemon.wait(for: "action-executed", policy: "cart-latency-dynamodb-capacity")
        #expect(executed.first?.record.detail == "capacity read 100 -> 150, write 50 -> 50")
        #expect(try daemon.decisions("action-executed", policy: "cart-latency-scale-out").isEmpty)
        #expect(try daemon.decisions("action-executed", policy: "cart-dynamodb-throttling").isEmpty)
        try await Self.report("latency with throttling", daemon, from: start, action: executed.first)
        #expect(try await daemon.stop() == 0)
    }

    /// Three hours of five-minute memory datapoints climbing 12 points an hour to 79%, put
    /// before the daemon starts (five-minute periods: put later, they would wait for the next
    /// five-minute boundary); returns the deployment the service had then.
    static func leak(_ emulator: AWSEmulator) async throws -> String? {
        let now = Int(Date().timeIntervalSince1970)
        let points = (1...36).map { back in (Date(timeIntervalSince1970: Double(now - now % 300 - back * 300)), Double(80 - back)) }
        try await emulator.putMetricData(namespace: "AWS/ECS", metric: "MemoryUtilization", dimensions: service, points: points)
        return try await emulator.newestDeploymentID()
    }

    @Test func aMemoryLeakIsRedeployedInEnforceMode() async throws {
        var before: String?
        let daemon = try await Running(watchdog: false, before: { before = try await Self.leak($0) })
        let start = Date()
        let executed = try await daemon.wait(for: "action-executed", policy: "cart-memory-leak-redeploy")
        #expect(executed.first?.record.detail == "force a new deployment")
        #expect(try await daemon.emulator.newestDeploymentID() != before)
        try await Self.report("memory leak (enforce)", daemon, from: start, action: executed.first)
        #expect(try await daemon.stop() == 0)
    }

    @Test func aMemoryLeakInDryRunOnlyNotifies() async throws {
        var before: String?
        let daemon = try await Running(watchdog: false, edit: { files in
            files["cart-memory-leak.yaml"] = files["cart-memory-leak.yaml"]!.replacingOccurrences(of: "mode: enforce", with: "mode: dry-run")
        }, before: { before = try await Self.leak($0) })
        let dryRun = try await daemon.wait(for: "action-dry-run", policy: "cart-memory-leak-redeploy")
        #expect(dryRun.first?.record.detail == "dry-run: would force a new deployment")
        #expect(try daemon.decisions("action-intent", policy: "cart-memory-leak-redeploy").isEmpty)
        #expect(try await daemon.emulator.newestDeploymentID() == before)
        #expect(try await daemon.stop() == 0)
    }

    @Test func cloudWatchFailingMeansErrorNotActionThenRecovery() async throws {
        let daemon = try await Running(watchdog: false)
        try await daemon.emulator.inject([.init(target: "GetMetricData", status: 400, code: "ThrottlingException", count: 30)])
        try await Self.spike(daemon, errors: 60)
        try await daemon.socket.wait(for: { $0.hasPrefix("STATUS=7 policies over 7 targets, 0 firing, 5 errors") })
        #expect(try daemon.decisions("action-intent").isEmpty)
        let degraded = try daemon.decisions("state-change").filter { $0.record.stateTo == "error" }
        #expect(degraded.count == 5)
        // When CloudWatch answers again the incident is seen and handled.
        try await daemon.wait(for: "action-executed", policy: "cart-rollback-on-5xx-after-deploy", timeout: 60)
        #expect(try await daemon.stop(within: 90) == 0)
    }

    @Test func safeModeDuringAnIncidentHoldsEveryAction() async throws {
        let daemon = try await Running(watchdog: false, config: "safe_mode: false\n")
        try await daemon.socket.wait(for: { $0.hasPrefix("STATUS=7 policies") })
        let on = try await ReflexBinary.run(["safe-mode", "on", "--config", daemon.directory + "/reflex.yaml"])
        #expect(on.status == 0)
        try await Self.spike(daemon, errors: 60)
        try await Self.put(daemon, "AWS/DynamoDB", "ThrottledRequests", Self.table, Self.ongoing(), 40)
        try await daemon.socket.wait(for: { $0.contains("SAFE MODE") })
        let held = try await daemon.wait(for: "action-held", count: 2)
        #expect(held.allSatisfy { $0.record.reason == "safe-mode" })
        #expect(try daemon.decisions("action-intent").isEmpty)
        #expect(try await daemon.emulator.describeServiceTaskDefinition().hasSuffix(":3"))
        #expect(try await daemon.stop() == 0)
    }

    @Test func killNineDuringAnActionIsReconciledNotRepeated() async throws {
        let daemon = try await Running(watchdog: false)
        // The rollback's UpdateService hangs long enough to be killed in the middle of it, and fails.
        try await daemon.emulator.inject([.init(target: "UpdateService", status: 500, code: "InternalFailure", delay: 20, count: 1)])
        try await Self.spike(daemon, errors: 60)
        try await daemon.wait(for: "action-intent", policy: "cart-rollback-on-5xx-after-deploy")
        daemon.signal(SIGKILL)
        _ = try await daemon.exitStatus()
        let restarted = try await Running(watchdog: false, reuse: daemon)
        let reconciled = try await restarted.wait(for: "action-reconciled")
        #expect(reconciled.first?.record.outcome == "not-applied")
        // The policy still fires, but the interrupted attempt counts for its cooldown (a cycle that
        // comes while the target is still being reconciled holds it as in flight first).
        let held = try await restarted.wait(for: "action-held", policy: "cart-rollback-on-5xx-after-deploy") { $0.record.reason == "cooldown" }
        let reasons = try restarted.decisions("action-held", policy: "cart-rollback-on-5xx-after-deploy").compactMap(\.record.reason)
        #expect(!held.isEmpty && Set(reasons).isSubset(of: ["in-flight", "cooldown"]), "\(reasons)")
        // Not repeated: only the hung call ever reached UpdateService.
        #expect(try await restarted.emulator.calls()["AmazonEC2ContainerServiceV20141113.UpdateService"] == 1)
        #expect(try await restarted.stop(within: 90) == 0)
        let verify = try await ReflexBinary.run(["audit", "verify", "--db", restarted.database])
        #expect(verify.status == 0 && verify.stdout.hasPrefix("OK:"))
    }
}
