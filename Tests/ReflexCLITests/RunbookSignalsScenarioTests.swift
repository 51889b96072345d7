import Foundation
import ReflexAudit
import ReflexTestSupport
import Testing

/// The runbook's signals beyond metrics, with the real daemon against the emulator and a local
/// HTTP server: OOM kills in ECS, the /ready probe, and "circuit" lines in the service's logs.
@Suite(.serialized)
struct RunbookSignalsScenarioTests {
    typealias Running = DaemonTests.Running

    static func json(_ object: Any) -> String {
        String(decoding: try! JSONSerialization.data(withJSONObject: object), as: UTF8.self)
    }

    /// Starts a cart-service task and stops it for `reason`, as ECS does when a container dies.
    static func stopTask(_ daemon: Running, reason: String) async throws {
        struct Started: Decodable { struct Task: Decodable { let taskArn: String }; let tasks: [Task] }
        let started = try await daemon.emulator.boto3(Boto3Call("ecs", "run_task", json([
            "cluster": "ecommerce", "taskDefinition": "cart-service:3", "count": 1, "group": "service:cart-service", "launchType": "FARGATE",
        ])), as: Started.self)
        try await daemon.emulator.boto3([Boto3Call("ecs", "stop_task", json(["cluster": "ecommerce", "task": started.tasks[0].taskArn, "reason": reason]))])
    }

    @Test func threeOOMKillsRedeployOnceAndOtherStopsDoNot() async throws {
        let oom = "cart-oom-redeploy"
        // Ten-second periods, so that a stop is judged within half a minute.
        let daemon = try await Running(watchdog: false, edit: { files in
            files["cart-oom.yaml"] = files["cart-oom.yaml"]!.replacingOccurrences(of: "reason: \"OutOfMemoryError*\" }, period: 1m", with: "reason: \"OutOfMemoryError*\" }, period: 10s")
        })
        let judged = try await daemon.wait(for: "state-change", policy: oom) { $0.record.stateTo == "ok" }
        #expect(judged[0].record.evidence?.contains("\"oom\":0") == true, "\(judged[0].record.evidence ?? "")")
        try await daemon.emulator.startRecordingRequests()
        for _ in 0..<3 { try await Self.stopTask(daemon, reason: "Scaling activity initiated by (deployment ecs-svc/1234)") }
        // Judged twice since, on the stops: still ok, nothing done.
        try await Task.sleep(for: .seconds(30))
        // The daemon did read the three stops (described them), and did not count them.
        let described = try await daemon.emulator.recordedRequests().filter { $0.operation == "DescribeTasks" }
        #expect(!described.isEmpty, "the stopped tasks were never described")
        #expect(try daemon.decisions("state-change", policy: oom).filter { $0.record.stateTo == "firing" }.isEmpty)
        #expect(try daemon.decisions("action-intent").isEmpty)

        for _ in 0..<3 { try await Self.stopTask(daemon, reason: "OutOfMemoryError: Container killed due to memory usage") }
        let executed = try await daemon.wait(for: "action-executed", policy: oom, timeout: 60)
        #expect(executed[0].record.detail == "force a new deployment")
        try await Task.sleep(for: .seconds(12))
        #expect(try daemon.decisions("action-executed", policy: oom).count == 1)
        #expect(try await daemon.stop() == 0)
    }

    @Test func aFailingReadinessProbeFiresAndAGoneServerIsMissingDataNeverAnAction() async throws {
        let server = try WebhookReceiver.start()
        let readiness = "cart-readiness"
        let daemon = try await Running(watchdog: false, edit: { files in
            files["cart-readiness.yaml"] = files["cart-readiness.yaml"]!
                .replacingOccurrences(of: "http://cart-service.ecommerce.internal:8080/ready", with: server.probeURL.absoluteString)
                .replacingOccurrences(of: "timeout: 2s, every: 10s }", with: "timeout: 1s, every: 1s }")
                .replacingOccurrences(of: "period: 1m", with: "period: 5s")
                .replacingOccurrences(of: "for: 3m", with: "for: 15s")
        })
        let ok = try await daemon.wait(for: "state-change", policy: readiness, timeout: 60) { $0.record.stateTo == "ok" }
        #expect(ok[0].record.evidence?.contains("\"ready\":1") == true, "\(ok[0].record.evidence ?? "")")

        try await server.answerProbes(with: 503)
        let fired = try await daemon.wait(for: "state-change", policy: readiness, timeout: 60) { $0.record.stateTo == "firing" }
        #expect(fired[0].record.evidence?.contains("\"ready\":0") == true, "\(fired[0].record.evidence ?? "")")

        // Nothing answers at all: probes reach nothing, so the periods are missing, not failed.
        server.stop()
        let missing = try await daemon.wait(for: "state-change", policy: readiness, timeout: 60) { $0.record.stateTo == "insufficient-data" }
        #expect(missing[0].record.stateFrom == "firing")
        #expect(try daemon.decisions("action-intent").isEmpty)
        #expect(try await daemon.stop() == 0)
    }

    @Test func circuitLinesInTheLogsHoldTheRollback() async throws {
        let rollback = "cart-rollback-on-5xx-after-deploy"
        let now = Int(Date().timeIntervalSince1970)
        let events = (1...8).reversed().map { back -> [String: Any] in
            ["timestamp": Int64(now - now % 60 - back * 60 + 5) * 1000, "message": "WARN circuit breaker open for payment-gateway"]
        }
        // The lines and the spike are there when the daemon starts: its first cycle judges them.
        let daemon = try await Running(watchdog: false, before: { emulator in
            try await emulator.boto3([Boto3Call("logs", "put_log_events", Self.json([
                "logGroupName": "/ecs/cart-service", "logStreamName": "cart/cart/seed", "logEvents": events,
            ]))])
            try await ScenarioTests.spike(emulator, errors: 60)
        })
        let held = try await daemon.wait(for: "action-held", policy: rollback)
        #expect(held[0].record.reason == "gate")
        #expect(held[0].record.detail == "gate condition 'sum_over(circuit, 3m) == 0' does not hold on the judged period")
        try await Task.sleep(for: .seconds(3))
        #expect(try daemon.decisions("action-intent").isEmpty)
        #expect(try await daemon.emulator.describeServiceTaskDefinition().hasSuffix(":3"))
        #expect(try await daemon.stop() == 0)
    }
}
