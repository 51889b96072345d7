import Foundation
import ReflexAudit
import ReflexCore
import ReflexHTTP
import ReflexTestSupport
import ReflexWebhooks
import Testing

/// `format: pagerduty` receivers, against the local receiver checking every event as PagerDuty's
/// Events API v2 would and answering as it does (202, 400 with the errors).
@Suite(.serialized)
struct PagerDutyDeliveryTests {
    static let routingKey = "R0utingKey0123456789abcdefABCDEF"
    static let target = "ecs:ecommerce/cart-service"

    /// A delivered event, read back from the receiver.
    struct Event {
        let action: String
        let dedupKey: String
        let severity: String?
        let summary: String?
        let type: String?
        let status: Int

        init(_ delivery: WebhookReceiver.Delivery) throws {
            let event = try #require(try JSONSerialization.jsonObject(with: Data(delivery.body.utf8)) as? [String: Any])
            let payload = event["payload"] as? [String: Any]
            action = try #require(event["event_action"] as? String)
            dedupKey = try #require(event["dedup_key"] as? String)
            severity = payload?["severity"] as? String
            summary = payload?["summary"] as? String
            type = payload?["class"] as? String
            status = delivery.status
        }
    }

    struct World {
        let base: WebhookDeliveryTests.World
        let keyFile: String

        init(keyMode: Int = 0o600, key: String = PagerDutyDeliveryTests.routingKey) async throws {
            base = try await WebhookDeliveryTests.World()
            try await base.receiver.checkPagerDuty(routingKey: PagerDutyDeliveryTests.routingKey)
            keyFile = (base.path as NSString).deletingLastPathComponent + "/pagerduty.key"
            #expect(FileManager.default.createFile(atPath: keyFile, contents: Data((key + "\n").utf8), attributes: [.posixPermissions: keyMode]))
        }

        var pager: ReceiverSettings {
            ReceiverSettings(name: "pager", url: base.receiver.url.absoluteString, secretFile: nil, secretEnvironment: nil, format: .pagerduty,
                             headers: [:], timeout: TimeSpan(seconds: 5), routingKeyFile: keyFile)
        }

        @discardableResult
        func log(_ kind: DecisionKind, policy: String = "rollback", from: String? = nil, to: String? = nil, detail: String = "",
                 outcome: String? = nil) throws -> Int64 {
            try base.store.append(DecisionRecord(at: Date(), kind: kind, policy: policy, target: PagerDutyDeliveryTests.target,
                                                 stateFrom: from, stateTo: to, reason: "breached", detail: detail, action: "ecs_rollback",
                                                 mode: "enforce", outcome: outcome))
        }

        func events() async throws -> [Event] { try await base.receiver.received().map(Event.init) }

        func deliver() async throws { try await base.drain(try base.dispatcher(receivers: [pager])) }
    }

    @Test func anEpisodeTriggersAndResolvesOneAlert() async throws {
        let world = try await World()
        let long = String(repeating: "5xx ", count: 400)
        let fired = try world.log(.stateChange, from: "ok", to: "firing", detail: long)
        try world.log(.actionExecuted, detail: "task definition revision 3 -> 2", outcome: "succeeded")
        try world.log(.actionDryRun, detail: "would roll back")
        try world.log(.actionNotVerified, detail: "still breaching", outcome: "not-verified")
        try world.log(.actionFailed, detail: "AccessDeniedException", outcome: "failed")
        try world.log(.circuitChanged, detail: "2 actions not verified", outcome: "open")
        try world.log(.circuitChanged, detail: "circuit reset by ops", outcome: "closed")
        try world.log(.actionVerified, detail: "resolved after the action", outcome: "verified")
        try world.log(.stateChange, from: "firing", to: "ok", detail: "resolved")
        // A second episode: an error in the middle does not end it; its resolve does.
        let again = try world.log(.stateChange, from: "ok", to: "firing", detail: "breached again")
        try world.log(.stateChange, from: "firing", to: "error", detail: "metrics failed")
        try world.log(.stateChange, from: "error", to: "firing", detail: "breaching")
        try world.log(.stateChange, from: "firing", to: "ok", detail: "resolved")
        // Back from an error without having fired: no alert is open, nothing to resolve.
        try world.log(.stateChange, from: "ok", to: "error", detail: "metrics failed")
        try world.log(.stateChange, from: "error", to: "ok", detail: "metrics back")
        try await world.deliver()

        let received = try await world.base.receiver.received()
        #expect(received.map(\.pagerduty_errors) == Array(repeating: [], count: 9), "\(received.map(\.body))")
        let events = try await world.events()
        let first = "reflex/rollback/\(Self.target)/\(fired)"
        let second = "reflex/rollback/\(Self.target)/\(again)"
        #expect(events.map(\.action) == ["trigger", "trigger", "trigger", "trigger", "resolve", "resolve", "trigger", "trigger", "resolve"])
        #expect(events.map(\.dedupKey) == [first, first, first, first, first, first, second, second, second])
        #expect(events.map(\.severity) == ["error", "warning", "error", "critical", nil, nil, "error", "error", nil])
        #expect(events.map(\.type) == ["policy.fired", "action.not_verified", "action.failed", "policy.circuit_changed", nil, nil,
                                       "policy.fired", "policy.fired", nil])
        #expect(events.allSatisfy { $0.status == 202 })
        #expect(events.first?.summary?.count == 1024)
        #expect(events.first?.summary?.hasPrefix("rollback policy.fired on \(Self.target): 5xx 5xx") == true)
        // Only what was sent was queued: no row waits for an event PagerDuty never gets.
        let rows = try AuditReader(path: world.base.path).deliveries(limit: 100)
        #expect(rows.count == 9)
        #expect(rows.allSatisfy { $0.state == "delivered" && $0.receiver == "pager" })
    }

    @Test func aKeyTooLongForPagerDutyIsHashed() async throws {
        let world = try await World()
        let policy = String(repeating: "p", count: 300)
        let fired = try world.log(.stateChange, policy: policy, from: "ok", to: "firing", detail: "breached")
        try await world.base.drain(try WebhookDispatcher(
            outbox: world.base.store, receivers: [world.pager], notifyLists: [policy: ["pager"]], http: CurlHTTPClient(),
            policy: DeliveryPolicy(base: .milliseconds(100), cap: .seconds(1), horizon: .seconds(3600)), logger: world.base.capture.logger("webhooks")))
        let event = try #require(try await world.events().first)
        #expect(event.status == 202)
        #expect(event.dedupKey.hasPrefix("reflex/sha256:") && event.dedupKey.hasSuffix("/\(fired)"))
        #expect(event.dedupKey.count == "reflex/sha256:".count + 64 + "/\(fired)".count)
    }

    @Test func throttlingAndServerErrorsAreRetriedOtherClientErrorsFail() async throws {
        let world = try await World()
        try await world.base.receiver.script([.init(429, retryAfter: "1"), .init(503)])
        let fired = try world.log(.stateChange, from: "ok", to: "firing", detail: "breached")
        try await world.deliver()
        #expect(try await world.base.receiver.received().map(\.status) == [429, 503, 202])
        let events = try await world.events()
        #expect(Set(events.map(\.dedupKey)) == ["reflex/rollback/\(Self.target)/\(fired)"])
        let delivered = try #require(try AuditReader(path: world.base.path).deliveries(limit: 10).first)
        #expect(delivered.state == "delivered" && delivered.attempts == 3 && delivered.lastStatus == 202)

        // PagerDuty refuses an event it finds invalid (400): sending it again would not help.
        try await world.base.receiver.script([.init(400, body: #"{"status":"invalid event","errors":["Invalid routing key"]}"#)])
        try world.log(.stateChange, from: "firing", to: "ok", detail: "resolved")
        try await world.deliver()
        let refused = try #require(try AuditReader(path: world.base.path).deliveries(limit: 10).first)
        #expect(refused.state == "failed" && refused.attempts == 1 && refused.lastStatus == 400)
        #expect(refused.lastError == #"HTTP 400: {"status":"invalid event","errors":["Invalid routing key"]}"#)
    }

    @Test func theRoutingKeyIsNeitherLoggedNorStored() async throws {
        let world = try await World()
        // A receiver that echoes the event back in its error, once, then accepts it.
        try await world.base.receiver.script([.init(500, body: "cannot take routing_key \(Self.routingKey) now"), .init(202)])
        try world.log(.stateChange, from: "ok", to: "firing", detail: "breached")
        try await world.deliver()
        let received = try await world.base.receiver.received()
        #expect(received.count == 2 && received.allSatisfy { $0.body.contains(Self.routingKey) })
        let attempts = try AuditReader(path: world.base.path).deliveries(limit: 10)
        #expect(attempts.first?.state == "delivered")
        try world.base.store.checkpoint()
        let directory = (world.base.path as NSString).deletingLastPathComponent
        for file in try FileManager.default.contentsOfDirectory(atPath: directory) where file.hasPrefix("reflex.db") {
            let bytes = try Data(contentsOf: URL(fileURLWithPath: directory + "/" + file))
            #expect(bytes.range(of: Data(Self.routingKey.utf8)) == nil, "\(file) holds the routing key")
        }
        #expect(world.base.capture.text.contains("cannot take routing_key [routing key] now"))
        #expect(!world.base.capture.text.contains(Self.routingKey))
    }

    @Test func whatWasQueuedBeforeTheReceiverBecamePagerDutyIsNotSentToIt() async throws {
        let world = try await World()
        try await world.base.receiver.script([.init(503)])
        let standard = ReceiverSettings(name: "pager", url: world.base.receiver.url.absoluteString, secretFile: nil, secretEnvironment: nil,
                                        format: .standard, headers: [:], timeout: TimeSpan(seconds: 5))
        try world.log(.actionExecuted, detail: "task definition revision 3 -> 2", outcome: "succeeded")
        await (try world.base.dispatcher(receivers: [standard])).runOnce()
        // A reload made `pager` a PagerDuty receiver: the executed action waiting for it would page.
        try await world.deliver()
        #expect(try await world.base.receiver.received().map(\.status) == [503])
        let row = try #require(try AuditReader(path: world.base.path).deliveries(limit: 10).first)
        #expect(row.state == "failed" && row.attempts == 2 && row.lastStatus == nil)
        #expect(row.lastError == "not sent: PagerDuty is sent no action.executed (queued before the receiver was format: pagerduty)")
    }

    @Test func aRoutingKeyFileOthersCanReadOrThatHoldsMoreIsRefused() async throws {
        for mode in [0o644, 0o660, 0o604] {
            let exposed = try await World(keyMode: mode)
            #expect(throws: WebhookError.exposedSecret(receiver: "pager", file: exposed.keyFile, mode: String(mode, radix: 8))) {
                try exposed.base.dispatcher(receivers: [exposed.pager])
            }
        }
        // The package's way: owned by root, read by the daemon's group.
        let grouped = try await World(keyMode: 0o640)
        _ = try grouped.base.dispatcher(receivers: [grouped.pager])
        let twoWords = try await World(key: "one two")
        #expect(throws: WebhookError.invalidRoutingKey(receiver: "pager", file: twoWords.keyFile)) {
            try twoWords.base.dispatcher(receivers: [twoWords.pager])
        }
        try FileManager.default.removeItem(atPath: twoWords.keyFile)
        #expect(throws: WebhookError.unreadableSecret(receiver: "pager", source: "routing_key_file \(twoWords.keyFile)")) {
            try twoWords.base.dispatcher(receivers: [twoWords.pager])
        }
        #expect(WebhookError.exposedSecret(receiver: "pager", file: "/etc/reflex/pd.key", mode: "644").description
            == "receiver 'pager': routing_key_file /etc/reflex/pd.key is open to others or writable by its group (mode 644); make it 0640 or 0600")
    }
}
