import Foundation
import Logging
import ReflexAudit
import ReflexCore
import ReflexHTTP
import ReflexTestSupport
import ReflexWebhooks
import ServiceLifecycle
import Testing

/// Receivers that hang, redirect or answer without end: none of them holds up another
/// receiver, the daemon's shutdown, or Reflex's memory.
@Suite(.serialized)
struct HostileReceiverTests {
    typealias World = WebhookDeliveryTests.World

    @Test func aHangingReceiverDelaysNoOtherReceiver() async throws {
        let world = try await World()
        let hanging = try WebhookReceiver.start()
        try await hanging.script([.init(200, hang: true)])
        let slow = ReceiverSettings(name: "slow", url: hanging.url.absoluteString, secretFile: nil, secretEnvironment: nil,
                                    format: .standard, headers: [:], timeout: TimeSpan(seconds: 60))
        let dispatcher = try world.dispatcher(receivers: [world.oncall(), slow])
        let ids = try (0..<3).map { try world.decide(.actionExecuted, detail: "action \($0)") }
        let service = Task { try await WebhookService(dispatcher: dispatcher).run() }
        let onTime = try await eventually { try await world.receiver.received().count == 3 }
        #expect(onTime, "oncall waited for the hanging receiver")
        #expect(try await world.receiver.received().map(\.id) == ids.map { "msg_\($0)_oncall" })
        // Meanwhile the hanging receiver holds its first delivery, unanswered.
        #expect(try await hanging.received().map(\.id) == ["msg_\(ids[0])_slow"])
        service.cancel()
        try await hanging.release()
        _ = await service.result
    }

    @Test func shutdownAbortsADeliveryInFlightAndKeepsItPending() async throws {
        let world = try await World()
        try await world.receiver.script([.init(200, hang: true)])
        // A timeout far longer than the shutdown may take: an attempt that ended by timing out
        // would be recorded.
        let dispatcher = try world.dispatcher(receivers: [world.oncall(timeout: TimeSpan(seconds: 30))])
        try world.decide(.actionExecuted, detail: "in flight at shutdown")
        let group = ServiceGroup(services: [WebhookService(dispatcher: dispatcher)], logger: world.capture.logger("group"))
        let running = Task { try await group.run() }
        #expect(try await eventually { try await world.receiver.received().count == 1 })
        await group.triggerGracefulShutdown()
        try await running.value
        let row = try #require(try AuditReader(path: world.path).deliveries(limit: 10).first)
        #expect(row.state == "pending")
        #expect(row.attempts == 0)
        try await world.receiver.release()
    }

    @Test func aRedirectFailsForGoodAndIsNotFollowed() async throws {
        let world = try await World()
        try await world.receiver.script([.init(302, location: "https://elsewhere.example/hooks")])
        try world.decide(.actionExecuted, detail: "redirected")
        try await world.drain(try world.dispatcher())
        #expect(try await world.receiver.received().count == 1)
        let row = try #require(try AuditReader(path: world.path).deliveries(limit: 10).first)
        #expect(row.state == "failed")
        #expect(row.lastError == "receiver answered a redirect (302) to https://elsewhere.example/hooks; Reflex does not follow redirects")
    }

    @Test func anEndlessResponseIsCutOff() async throws {
        let world = try await World()
        try await world.receiver.script([.init(200, stream: true)])
        try world.decide(.actionExecuted, detail: "answered without end")
        await (try world.dispatcher()).runOnce()
        let row = try #require(try AuditReader(path: world.path).deliveries(limit: 10).first)
        #expect(row.state == "pending")
        #expect(row.lastError?.contains("response too large: more than 65536 bytes") == true)
    }
}
