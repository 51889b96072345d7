import Foundation
import ReflexAudit
import ReflexTestSupport
import Testing

/// `reflex receivers` and `reflex audit redeliver` through the binary, against a running daemon
/// and the local webhook receiver.
@Suite(.serialized)
struct ReceiversCommandTests {
    /// Switches safe mode, an event every receiver is told of; returns its decision id.
    func switchSafeMode(_ setting: String, _ daemon: DaemonTests.Running) async throws -> Int64 {
        let outcome = try await ReflexBinary.run(["safe-mode", setting, "--config", daemon.directory + "/reflex.yaml"])
        #expect(outcome.status == 0, "\(outcome.stderr)")
        return try #require(Int64(outcome.stdout.split(separator: "(decision ").last?.dropLast(2) ?? ""), "\(outcome.stdout)")
    }

    /// Waits until the receiver has seen what `done` wants.
    func waitForDeliveries(_ receiver: WebhookReceiver, until done: ([WebhookReceiver.Delivery]) -> Bool) async throws -> [WebhookReceiver.Delivery] {
        let deadline = Date().addingTimeInterval(30)
        while Date() < deadline {
            let received = try await receiver.received()
            if done(received) { return received }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw EmulatorError("the receiver did not get the expected deliveries: \(try await receiver.received().map { ($0.id ?? "", $0.status) })")
    }

    @Test func aReceiverDisabledByA410IsListedEnabledAndGetsWhatWasHeldBackThenRedeliveries() async throws {
        let receiver = try WebhookReceiver.start()
        try await receiver.verify(with: ["whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"])
        try await receiver.script([.init(410)])
        // No policy: the only events are the operator's safe-mode switches.
        let daemon = try await DaemonTests.Running(watchdog: false, webhook: receiver.url, edit: { $0 = [:] }, config: "allow_no_policies: true\n")
        try await daemon.socket.wait(for: { $0.hasPrefix("STATUS=0 policies") })
        let config = daemon.directory + "/reflex.yaml"
        var outputs: [String] = []
        func reflex(_ arguments: [String]) async throws -> ReflexBinary.Outcome {
            let outcome = try await ReflexBinary.run(arguments)
            outputs.append(outcome.stdout + outcome.stderr)
            return outcome
        }

        let gone = try await switchSafeMode("on", daemon)
        _ = try await waitForDeliveries(receiver) { $0.contains { $0.id == "msg_\(gone)_oncall" && $0.status == 410 } }
        let held = try await switchSafeMode("off", daemon)
        // Enqueued, and held: the receiver is disabled.
        for _ in 0..<100 where try AuditReader(path: daemon.database).deliveries(decision: held, limit: 1).isEmpty {
            try await Task.sleep(for: .milliseconds(100))
        }
        let listed = try await reflex(["receivers", "--config", config])
        #expect(listed.status == 0, "\(listed.stderr)")
        let row = listed.stdout.split(separator: "\n").last.map(String.init) ?? ""
        #expect(row.hasPrefix("oncall    1        1       disabled since "), "\(listed.stdout)")
        #expect(row.hasSuffix(" (HTTP 410 Gone)"), "\(listed.stdout)")
        let json = try await reflex(["receivers", "--config", config, "--format", "json"])
        let objects = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [[String: Any]])
        #expect(objects.count == 1)
        #expect(objects.first?["state"] as? String == "disabled")
        #expect(objects.first?["pending"] as? Int == 1)
        #expect(objects.first?["failed"] as? Int == 1)
        #expect(objects.first?["disabled_at"] is String)
        #expect(try await receiver.received().count == 1)

        let misspelt = try await reflex(["receivers", "enable", "oncal", "--config", config])
        #expect(misspelt.status == 2)
        #expect(misspelt.stderr.contains("no receiver 'oncal' in \(config); did you mean 'oncall'?"), "\(misspelt.stderr)")
        let enabled = try await reflex(["receivers", "enable", "oncall", "--config", config])
        #expect(enabled.status == 0, "\(enabled.stderr)")
        #expect(enabled.stdout == "receiver oncall enabled; 2 delivery(ies) to send\n")
        // The one that got the 410, then the one held back, in order, signed, same ids.
        let afterEnable = try await waitForDeliveries(receiver) { $0.filter { $0.status == 200 }.count == 2 }
        #expect(afterEnable.map(\.id) == ["msg_\(gone)_oncall", "msg_\(gone)_oncall", "msg_\(held)_oncall"])
        #expect(afterEnable.dropFirst().allSatisfy { $0.signature_valid && $0.status == 200 })
        let again = try await reflex(["receivers", "enable", "oncall", "--config", config])
        #expect(again.status == 1)
        #expect(again.stdout == "receiver oncall is not disabled\n")
        let enabledRow = try await reflex(["receivers", "--config", config]).stdout.split(separator: "\n").last.map(String.init)
        #expect(enabledRow == "oncall    0        0       enabled")

        // A 400 fails for good; --failed queues it again, under the same webhook-id.
        try await receiver.script([.init(400)])
        let refused = try await switchSafeMode("on", daemon)
        _ = try await waitForDeliveries(receiver) { $0.contains { $0.id == "msg_\(refused)_oncall" && $0.status == 400 } }
        for _ in 0..<100 where try AuditReader(path: daemon.database).deliveries(decision: refused, limit: 1).first?.state != "failed" {
            try await Task.sleep(for: .milliseconds(100))
        }
        let redelivered = try await reflex(["audit", "redeliver", "--failed", "--receiver", "oncall", "--db", daemon.database])
        #expect(redelivered.status == 0, "\(redelivered.stderr)")
        #expect(redelivered.stdout == "msg_\(refused)_oncall to oncall: queued again\n")
        let afterFailed = try await waitForDeliveries(receiver) { $0.filter { $0.id == "msg_\(refused)_oncall" }.count == 2 }
        #expect(afterFailed.last.map { $0.status == 200 && $0.signature_valid } == true)
        #expect(try await reflex(["audit", "redeliver", "--failed", "--db", daemon.database]).stdout == "no failed deliveries\n")

        // One decision's deliveries, delivered already: sent once more.
        let byID = try await reflex(["audit", "redeliver", String(held), "--db", daemon.database])
        #expect(byID.stdout == "msg_\(held)_oncall to oncall: queued again\n", "\(byID.stderr)")
        let afterID = try await waitForDeliveries(receiver) { $0.filter { $0.id == "msg_\(held)_oncall" }.count == 2 }
        #expect(afterID.last.map { $0.status == 200 && $0.signature_valid } == true)
        let rows = try AuditReader(path: daemon.database).deliveries(limit: 10)
        #expect(rows.allSatisfy { $0.state == "delivered" }, "\(rows.map(\.state))")

        let unknown = try await reflex(["audit", "redeliver", "99999", "--db", daemon.database])
        #expect(unknown.status == 2)
        #expect(unknown.stderr == "reflex: decision 99999 has no deliveries\n")
        let both = try await reflex(["audit", "redeliver", String(held), "--failed", "--db", daemon.database])
        #expect(both.status == 2)
        #expect(both.stderr.contains("give a decision id or --failed, not both"), "\(both.stderr)")
        #expect(try await reflex(["audit", "redeliver", "--db", daemon.database]).status == 2)
        // The secret never shows.
        #expect(!outputs.contains { $0.contains("whsec_") || $0.contains("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw") })
        #expect(try await daemon.stop() == 0)
    }
}
