import Foundation
import Logging
import ReflexAudit
import ReflexCore
import ReflexHTTP
import ReflexTestSupport
import ReflexWebhooks
import Testing

struct WebhookSignerTests {
    @Test func reproducesTheStandardWebhooksReferenceVector() throws {
        let signer = try WebhookSigner(secrets: ["whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"])
        #expect(signer.signature(id: "msg_p5jXN8AQM9LWM0D4loKWxJek", timestamp: 1_614_265_330, body: Data(#"{"test": 2432232314}"#.utf8))
            == "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=")
    }

    @Test func signsWithEverySecretDuringRotation() throws {
        let signer = try WebhookSigner(secrets: ["whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "whsec_c2Vjb25kLXNlY3JldA=="])
        let signatures = signer.signature(id: "msg_p5jXN8AQM9LWM0D4loKWxJek", timestamp: 1_614_265_330, body: Data(#"{"test": 2432232314}"#.utf8))
            .split(separator: " ")
        #expect(signatures.count == 2)
        #expect(signatures.first == "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=")
        #expect(throws: WebhookError.invalidSecret) { try WebhookSigner(secrets: ["whsec_***"]) }
    }
}

/// Deliveries through a real local receiver that checks signatures on its own.
@Suite(.serialized)
struct WebhookDeliveryTests {
    static let secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"

    struct World {
        let receiver: WebhookReceiver
        let store: DecisionStore
        let path: String
        let capture = LogCapture()

        init() async throws {
            receiver = try WebhookReceiver.start()
            try await receiver.verify(with: [WebhookDeliveryTests.secret])
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("reflex-webhooks-\(UUID().uuidString)").path
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            try WebhookDeliveryTests.secret.write(toFile: directory + "/oncall.secret", atomically: true, encoding: .utf8)
            path = directory + "/reflex.db"
            store = try DecisionStore(path: path)
        }

        /// The signed receiver `oncall` at the world's receiver.
        func oncall(format: ReceiverSettings.Format = .standard, timeout: TimeSpan = TimeSpan(seconds: 5)) -> ReceiverSettings {
            ReceiverSettings(
                name: "oncall", url: receiver.url.absoluteString, secretFile: (path as NSString).deletingLastPathComponent + "/oncall.secret",
                secretEnvironment: nil, format: format, headers: ["X-Team": "cart"], timeout: timeout)
        }

        /// A dispatcher as a fresh daemon process would make it, over the same database, with
        /// `oncall` as the only receiver.
        func dispatcher(format: ReceiverSettings.Format = .standard) throws -> WebhookDispatcher {
            try dispatcher(receivers: [oncall(format: format)])
        }

        /// A dispatcher for `receivers`, all of them notified by the `rollback` policy.
        func dispatcher(receivers: [ReceiverSettings]) throws -> WebhookDispatcher {
            try WebhookDispatcher(
                outbox: store, receivers: receivers, notifyLists: ["rollback": receivers.map(\.name)], http: CurlHTTPClient(),
                policy: DeliveryPolicy(base: .milliseconds(100), cap: .seconds(1), horizon: .seconds(3600)),
                logger: capture.logger("webhooks"))
        }

        @discardableResult
        func decide(_ kind: DecisionKind, detail: String) throws -> Int64 {
            try store.append(DecisionRecord(at: Date(), kind: kind, policy: "rollback", target: "ecs:ecommerce/cart-service",
                                            reason: "breached", detail: detail, action: "ecs_rollback", mode: "enforce", outcome: "succeeded"))
        }

        /// Runs the dispatcher until nothing is due or pending work is exhausted.
        func drain(_ dispatcher: WebhookDispatcher, rounds: Int = 60) async throws {
            for _ in 0..<rounds {
                await dispatcher.runOnce()
                if try AuditReader(path: path).deliveries(limit: 1000).allSatisfy({ $0.state != "pending" }) { return }
                try await Task.sleep(for: .milliseconds(100))
            }
        }
    }

    @Test func signedEventsArriveInOrderWithTheSchema() async throws {
        let world = try await World()
        let first = try world.decide(.actionExecuted, detail: "task definition revision 3 -> 2")
        try world.decide(.actionIntent, detail: "not an event")
        try world.decide(.actionVerified, detail: "the condition resolved after the action")
        try await world.drain(try world.dispatcher())
        let received = try await world.receiver.received()
        #expect(received.count == 2)
        #expect(received.allSatisfy { $0.signature_valid })
        #expect(received.map(\.id) == ["msg_\(first)_oncall", "msg_\(first + 2)_oncall"])
        let event = try JSONSerialization.jsonObject(with: Data(received[0].body.utf8)) as? [String: Any]
        #expect(event?["schema"] as? String == "reflex.event/v1")
        #expect(event?["type"] as? String == "action.executed")
        #expect(event?["audit"] as? String == "reflex audit show \(first)")
        #expect((event?["data"] as? [String: Any])?["summary"] as? String == "task definition revision 3 -> 2")
        let rows = try AuditReader(path: world.path).deliveries(limit: 10)
        #expect(rows.map(\.state) == ["delivered", "delivered"])
    }

    @Test func aReceiverThatIsDownGetsEverythingOnceWhenItComesBack() async throws {
        let world = try await World()
        try await world.receiver.script([.init(503), .init(503), .init(502), .init(500)])
        let ids = try (0..<3).map { try world.decide(.actionExecuted, detail: "action \($0)") }
        try await world.drain(try world.dispatcher())
        let received = try await world.receiver.received()
        let delivered = received.filter { $0.status == 200 }.map(\.id)
        // Every event exactly once, in order; the failed attempts were retries of the first.
        #expect(delivered == ids.map { "msg_\($0)_oncall" })
        #expect(received.prefix(5).allSatisfy { $0.id == "msg_\(ids[0])_oncall" })
        #expect(Set(received.map(\.id)).count == 3)
    }

    @Test func pendingEventsSurviveARestart() async throws {
        let world = try await World()
        try await world.receiver.script(Array(repeating: .init(503), count: 2))
        let id = try world.decide(.actionFailed, detail: "AccessDeniedException")
        let before = try world.dispatcher()
        await before.runOnce()
        await before.runOnce()
        #expect(try AuditReader(path: world.path).deliveries(limit: 10).first?.state == "pending")
        // A new dispatcher over the same database (the daemon restarted) finishes the job.
        try await world.drain(try world.dispatcher())
        let received = try await world.receiver.received()
        #expect(received.filter { $0.status == 200 }.map(\.id) == ["msg_\(id)_oncall"])
    }

    @Test func goneDisablesTheReceiver() async throws {
        let world = try await World()
        try await world.receiver.script([.init(410)])
        try world.decide(.actionExecuted, detail: "first")
        try world.decide(.actionExecuted, detail: "second")
        let dispatcher = try world.dispatcher()
        try await world.drain(dispatcher)
        try world.decide(.actionExecuted, detail: "third")
        await dispatcher.runOnce()
        let count = try await world.receiver.received().count
        #expect(count == 1)
        let states = try AuditReader(path: world.path).deliveries(limit: 10).map(\.state)
        #expect(states.sorted() == ["disabled", "failed", "pending"])
    }

    @Test func retryAfterIsRespectedAndOtherClientErrorsAreFinal() async throws {
        let world = try await World()
        try await world.receiver.script([.init(429, retryAfter: "2"), .init(200), .init(400)])
        try world.decide(.actionExecuted, detail: "throttled once")
        try world.decide(.actionExecuted, detail: "rejected")
        try await world.drain(try world.dispatcher())
        let received = try await world.receiver.received()
        #expect(received.count == 3)
        #expect(received[1].at - received[0].at >= 1.9, "retried after \(received[1].at - received[0].at) s")
        #expect(try AuditReader(path: world.path).deliveries(limit: 10).map(\.state) == ["failed", "delivered"])
    }

    @Test func slackReceiversGetReadableText() async throws {
        let world = try await World()
        let id = try world.decide(.actionExecuted, detail: "task definition revision 3 -> 2")
        try await world.drain(try world.dispatcher(format: .slack))
        let body = try #require(try await world.receiver.received().first?.body)
        let message = try JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any]
        #expect(message?["text"] as? String == ":robot_face: *action.executed* `rollback` on `ecs:ecommerce/cart-service`: task definition revision 3 -> 2\n`reflex audit show \(id)`")
    }

    @Test func theSecretIsNeitherLoggedNorStored() async throws {
        let world = try await World()
        try await world.receiver.script([.init(503)])
        try world.decide(.actionExecuted, detail: "x")
        try await world.drain(try world.dispatcher())
        try world.store.checkpoint()
        let database = try Data(contentsOf: URL(fileURLWithPath: world.path))
        let key = "MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
        #expect(database.range(of: Data(key.utf8)) == nil)
        #expect(!world.capture.text.isEmpty)
        #expect(!world.capture.text.contains(key))
    }
}
