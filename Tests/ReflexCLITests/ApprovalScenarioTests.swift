import Foundation
import ReflexAudit
import ReflexCore
import ReflexTestSupport
import Testing

/// The runbook's rollback in approve mode, with the real daemon, the real `reflex approve`
/// and `reflex deny`, and the emulator: nothing changes in ECS until a person approves, an
/// approval is carried out once, on the target as it was when asked, and never past a
/// guardrail.
@Suite(.serialized)
struct ApprovalScenarioTests {
    typealias Running = DaemonTests.Running
    static let rollback = "cart-rollback-on-5xx-after-deploy"
    static let updateService = "AmazonEC2ContainerServiceV20141113.UpdateService"

    /// The shipped rollback policy in approve mode, its requests expiring after `expires`. The
    /// rollout is watched for 2 s, not 10 minutes: the emulator's deployments never complete,
    /// and a stop waits for the watch.
    static func approveMode(expires: String = "15m") -> (inout [String: String]) -> Void {
        { files in
            files["cart-rollback.yaml"] = files["cart-rollback.yaml"]!
                .replacingOccurrences(of: "    mode: enforce\n", with: "    mode: approve\n    approval_expires: \(expires)\n")
                .replacingOccurrences(of: "wait_stable: 10m", with: "wait_stable: 2s")
        }
    }

    static func answer(_ verb: String, _ id: Int64, _ daemon: Running, note: String? = nil) async throws -> ReflexBinary.Outcome {
        try await ReflexBinary.run([verb, String(id), "--config", daemon.directory + "/reflex.yaml"] + (note.map { ["--note", $0] } ?? []))
    }

    /// A daemon in approve mode (`expires` for its requests) started with the 5xx spike after
    /// the seeded deploy under way, and the request it makes.
    static func requested(expires: String = "15m") async throws -> (Running, StoredDecision) {
        let daemon = try await Running(watchdog: false, edit: approveMode(expires: expires),
                                       before: { try await ScenarioTests.spike($0, errors: 60) })
        return (daemon, try await daemon.wait(for: "approval-requested", policy: rollback)[0])
    }

    @Test func aRollbackWaitsForApprovalSurvivesARestartAndIsMadeOnce() async throws {
        let receiver = try WebhookReceiver.start()
        let first = try await Running(watchdog: false, webhook: receiver.url, edit: Self.approveMode(),
                                      before: { try await ScenarioTests.spike($0, errors: 60) })
        let request = try await first.wait(for: "approval-requested", policy: Self.rollback)[0]
        #expect(request.record.detail?.hasPrefix("approval requested: task definition revision 3 -> 2, until ") == true)
        #expect(request.record.evidence != nil)
        #expect(try await eventually {
            try await receiver.received().contains { $0.body.contains("\"action.approval_requested\"") && $0.body.contains("\"approve\":\"reflex approve \(request.id)\"") }
        })
        let listed = try await ReflexBinary.run(["approvals", "--config", first.directory + "/reflex.yaml"])
        #expect(listed.status == 0)
        #expect(listed.stdout.contains("\(request.id)") && listed.stdout.contains("task definition revision 3 -> 2") && listed.stdout.contains("pending"),
                "\(listed.stdout)")
        #expect(try await first.stop() == 0)

        // The request outlives the daemon: the next run neither asks again nor acts unasked.
        let second = try await Running(watchdog: false, reuse: first)
        try await second.socket.wait(for: { $0.contains("1 firing") })
        try await Task.sleep(for: .seconds(3))
        #expect(try second.decisions("approval-requested").count == 1)
        #expect(try await second.emulator.calls()[Self.updateService] == nil)
        #expect(try await second.emulator.describeServiceTaskDefinition().hasSuffix(":3"))

        let approved = try await Self.answer("approve", request.id, second, note: "checked the deploy")
        #expect(approved.status == 0, "\(approved.stderr)")
        let executed = try await second.wait(for: "action-executed", policy: Self.rollback)
        #expect(executed[0].record.detail == "task definition revision 3 -> 2")
        let intent = try second.decisions("action-intent", policy: Self.rollback)
        #expect(intent.count == 1 && intent[0].record.intentID == request.id)
        let granted = try second.decisions("approval-granted")
        #expect(granted.count == 1 && granted[0].record.outcome == NSUserName() && granted[0].record.detail?.contains("checked the deploy") == true)

        let again = try await Self.answer("approve", request.id, second)
        #expect(again.status == 1)
        #expect(again.stderr.contains("request \(request.id) is closed"), "\(again.stderr)")
        try await Task.sleep(for: .seconds(3))
        #expect(try await second.emulator.calls()[Self.updateService] == 1)
        #expect(try second.decisions("action-intent").count == 1)
        #expect(try await second.emulator.describeServiceTaskDefinition().hasSuffix(":2"))

        let shown = try await ReflexBinary.run(["audit", "show", String(executed[0].id), "--db", second.database])
        #expect(shown.stdout.contains("approval-requested") && shown.stdout.contains("approval-granted") && shown.stdout.contains("action-intent"),
                "\(shown.stdout)")
        #expect(try await second.stop() == 0)
    }

    @Test func aDeniedRequestChangesNothingAndIsNotAskedAgainWithinTheCooldown() async throws {
        let (daemon, request) = try await Self.requested()
        let denied = try await Self.answer("deny", request.id, daemon, note: "the dependency is down")
        #expect(denied.status == 0, "\(denied.stderr)")
        let held = try await daemon.wait(for: "action-held", policy: Self.rollback)
        #expect(held[0].record.reason == "cooldown")
        #expect(try daemon.decisions("approval-denied").first?.record.intentID == request.id)
        #expect(try daemon.decisions("approval-requested").count == 1)
        #expect(try daemon.decisions("action-intent").isEmpty)
        #expect(try await daemon.emulator.calls()[Self.updateService] == nil)
        #expect(try await Self.answer("approve", request.id, daemon).status == 1)
        #expect(try await daemon.stop() == 0)
    }

    @Test func anExpiredRequestCannotBeApproved() async throws {
        let (daemon, request) = try await Self.requested(expires: "2s")
        let expired = try await daemon.wait(for: "approval-expired", policy: Self.rollback, timeout: 30)
        #expect(expired[0].record.intentID == request.id)
        let late = try await Self.answer("approve", request.id, daemon)
        #expect(late.status == 1)
        #expect(late.stderr.contains("approval-expired"), "\(late.stderr)")
        try await Task.sleep(for: .seconds(3))
        #expect(try daemon.decisions("approval-granted").isEmpty)
        #expect(try daemon.decisions("action-intent").isEmpty)
        #expect(try await daemon.emulator.calls()[Self.updateService] == nil)
        #expect(try await daemon.stop() == 0)
    }

    @Test func aDeployBetweenRequestAndApprovalMakesTheApprovalStale() async throws {
        let (daemon, request) = try await Self.requested()
        // Someone deploys revision 1 by hand while the request waits.
        try await daemon.emulator.boto3([Boto3Call("ecs", "update_service",
                                                   #"{"cluster": "ecommerce", "service": "cart-service", "taskDefinition": "cart-service:1"}"#)])
        #expect(try await Self.answer("approve", request.id, daemon).status == 0)
        let stale = try await daemon.wait(for: "approval-stale", policy: Self.rollback, timeout: 30)
        #expect(stale[0].record.intentID == request.id)
        #expect(stale[0].record.detail?.contains("revision 3 -> 1") == true, "\(stale[0].record.detail ?? "")")
        try await Task.sleep(for: .seconds(3))
        #expect(try daemon.decisions("action-intent").isEmpty)
        #expect(try await daemon.emulator.describeServiceTaskDefinition().hasSuffix(":1"))
        #expect(try await daemon.stop() == 0)
    }

    @Test func safeModeSwitchedOnAfterTheApprovalHoldsIt() async throws {
        let (first, request) = try await Self.requested()
        // Stopped, so that no cycle can carry the approval out before safe mode is on.
        #expect(try await first.stop() == 0)
        #expect(try await Self.answer("approve", request.id, first).status == 0)
        #expect(try await ReflexBinary.run(["safe-mode", "on", "--config", first.directory + "/reflex.yaml"]).status == 0)
        let second = try await Running(watchdog: false, reuse: first)
        let held = try await second.wait(for: "action-held", policy: Self.rollback) { $0.record.intentID == request.id }
        #expect(held[0].record.reason == "safe-mode")
        try await Task.sleep(for: .seconds(3))
        #expect(try second.decisions("action-intent").isEmpty)
        #expect(try await second.emulator.calls()[Self.updateService] == nil)
        #expect(try await second.emulator.describeServiceTaskDefinition().hasSuffix(":3"))
        #expect(try await second.stop() == 0)
    }
}
