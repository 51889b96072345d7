import Foundation
import ReflexAudit
import ReflexTestSupport
import Testing

/// The real daemon with a real signing key: checkpoints at start, at the interval, on reload and
/// at the stop, each in the log, in the journal and delivered to the webhook receiver, signed
/// as docs/decision-log.md says (checked with OpenSSL, not with Reflex).
@Suite(.serialized)
struct CheckpointDaemonTests {
    typealias Running = DaemonTests.Running

    /// The bytes a checkpoint's signature covers, written from the documentation.
    static func signedText(_ checkpoint: [String: Any]) -> String {
        ["reflex-checkpoint/1", "last_decision_id=\(checkpoint["last_decision_id"] ?? "")", "head_hash=\(checkpoint["head_hash"] ?? "")",
         "decision_count=\(checkpoint["decision_count"] ?? "")", "covered_from=\(checkpoint["covered_from"] ?? "")",
         "covered_hashes=\(checkpoint["covered_hashes"] ?? "")", "time=\(checkpoint["time"] ?? "")",
         "previous_checkpoint_hash=\(checkpoint["previous_checkpoint_hash"] ?? "")", "key_id=\(checkpoint["key_id"] ?? "")"]
            .map { $0 + "\n" }.joined()
    }

    @Test func checkpointsAtStartIntervalReloadAndStopReachTheReceiverSigned() async throws {
        let receiver = try WebhookReceiver.start()
        try await receiver.verify(with: ["whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"])
        let keys = FileManager.default.temporaryDirectory.appendingPathComponent("reflex-keys-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: keys, withIntermediateDirectories: true)
        let made = try await ReflexBinary.run(["audit", "keygen", "--out", keys + "/audit.key", "--public-out", keys + "/audit.pub"])
        #expect(made.status == 0, "\(made.stderr)")
        let keyID = String(try #require(made.stdout.split(separator: "\n").first).dropFirst("key id ".count))
        let daemon = try await Running(watchdog: false, webhook: receiver.url,
                                       config: "audit: { signing_key: \(keys)/audit.key, checkpoint_every: 2s }\n")
        try await daemon.wait(for: "audit-checkpoint", timeout: 60) { $0.record.reason == "interval" }
        daemon.signal(SIGHUP)
        try await daemon.wait(for: "audit-checkpoint", timeout: 60) { $0.record.reason == "reload" }
        #expect(try await daemon.stop() == 0)

        let rows = try daemon.decisions("audit-checkpoint")
        let reasons = rows.compactMap(\.record.reason)
        #expect(reasons.first == "start" && reasons.last == "stop" && reasons.contains("interval") && reasons.contains("reload"), "\(reasons)")
        #expect(rows.last?.id == (try AuditReader(path: daemon.database).list(DecisionFilter(), limit: 1).first?.id), "the stop's is the last decision")

        // Every one was delivered before the daemon exited, the stop's included.
        let deliveries = try await receiver.received().filter { $0.body.contains("\"type\":\"audit.checkpoint\"") }
        #expect(deliveries.allSatisfy { $0.signature_valid })
        let delivered = deliveries.compactMap { delivery -> [String: Any]? in
            let event = try? JSONSerialization.jsonObject(with: Data(delivery.body.utf8)) as? [String: Any]
            return (event?["data"] as? [String: Any])?["checkpoint"] as? [String: Any]
        }
        #expect(delivered.compactMap { $0["id"] as? Int64 }.sorted() == rows.map(\.id))
        #expect(delivered.compactMap { $0["trigger"] as? String }.sorted() == reasons.sorted())

        // Each signature verifies with the public key, by OpenSSL over the documented bytes.
        for (index, checkpoint) in delivered.enumerated() {
            let text = keys + "/signed-\(index).txt", signature = keys + "/signature-\(index).bin"
            try Self.signedText(checkpoint).write(toFile: text, atomically: true, encoding: .utf8)
            let bytes = try #require(Data(base64Encoded: checkpoint["signature"] as? String ?? ""))
            try bytes.write(to: URL(fileURLWithPath: signature))
            let checked = try await ReflexBinary.run(["pkeyutl", "-verify", "-pubin", "-inkey", keys + "/audit.pub", "-rawin", "-in", text,
                                                "-sigfile", signature], executable: "/usr/bin/openssl")
            #expect(checked.stdout == "Signature Verified Successfully\n", "\(checkpoint): \(checked.stderr)")
            #expect(checkpoint["key_id"] as? String == keyID)
        }

        // The stop checkpoint, as the receiver holds it, proves the whole log.
        let stop = try #require(deliveries.first { $0.body.contains("\"trigger\":\"stop\"") })
        try stop.body.write(toFile: keys + "/stop.json", atomically: true, encoding: .utf8)
        guard case let .intact(count, _, last) = try AuditReader(path: daemon.database).verify() else {
            Issue.record("chain broken")
            return
        }
        let verified = try await ReflexBinary.run(["audit", "verify", "--db", daemon.database, "--public-key", keys + "/audit.pub",
                                             "--checkpoint", keys + "/stop.json"])
        #expect(verified.status == 0, "\(verified.stdout)\(verified.stderr)")
        #expect(verified.stdout == "OK: \(count) decisions (ids 1-\(last ?? 0)), hash chain intact, \(rows.count) checkpoints signed by key \(keyID), "
            + "exported checkpoint \(rows.last?.id ?? 0) holds\n")

        // The journal's copy: each checkpoint's line with its fields; never the key.
        let log = daemon.log
        for row in rows {
            let checkpoint = try #require(row.checkpoint)
            #expect(log.contains("audit checkpoint (\(checkpoint.trigger)) up to decision \(checkpoint.lastDecisionID)"))
            #expect(log.contains("checkpoint_signature=\(checkpoint.signature)"))
            #expect(log.contains("checkpoint_head_hash=\(checkpoint.headHash)"))
        }
        let secret = try String(contentsOfFile: keys + "/audit.key", encoding: .utf8).split(separator: "\n")[1]
        #expect(!log.contains(secret))
    }
}
