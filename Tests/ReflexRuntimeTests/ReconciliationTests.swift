import Foundation
import ReflexAudit
import ReflexAWS
import ReflexCore
import ReflexRuntime
import ReflexTestSupport
import Testing

/// An action cut off between its intent and its outcome is reconciled at start-up against the
/// target's state, and never sent again.
struct ReconciliationTests {
    static var childPath: String {
        URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
            .appendingPathComponent("crash-child").path
    }

    @Test func aProcessKilledBetweenIntentAndOutcomeIsReconciledNotRepeated() async throws {
        let world = try await PipelineWorld.make()
        // Every attempt of UpdateService hangs for 20 s and then fails: the kill lands while one
        // hangs, even on a loaded machine where the child's 10 s call timeout passes and it retries
        // before the test gets to kill it.
        try await world.emulator.inject([.init(target: "UpdateService", status: 500, code: "InternalFailure", delay: 20, count: 3)])
        let path = world.store.path
        let child = Process()
        child.executableURL = URL(fileURLWithPath: Self.childPath)
        child.arguments = ["action", path]
        child.environment = ProcessInfo.processInfo.environment.merging(world.emulator.environment) { $1 }
        child.standardOutput = FileHandle.nullDevice
        try child.run()
        // Wait for the intent to be committed, then kill the process.
        var intents: [StoredDecision] = []
        for _ in 0..<200 where intents.isEmpty {
            try await Task.sleep(for: .milliseconds(50))
            intents = try AuditReader(path: path).list(DecisionFilter(kind: "action-intent"), limit: 10)
        }
        #expect(intents.count == 1)
        kill(child.processIdentifier, SIGKILL)
        child.waitUntilExit()
        let sentByTheChild = try await world.emulator.calls()["AmazonEC2ContainerServiceV20141113.UpdateService"] ?? 0
        #expect(sentByTheChild >= 1)
        #expect(child.terminationReason == .uncaughtSignal)
        #expect(try world.store.pendingIntents().map(\.id) == intents.map(\.id))

        // Restart: reconcile. The scale-out never happened (4 tasks), and it is not sent again.
        #expect(await world.pipeline.reconcile() == 1)
        let reconciled = try #require(try world.decisions(kind: .actionReconciled).first)
        #expect(reconciled.record.intentID == intents[0].id)
        #expect(reconciled.record.outcome == "not-applied")
        #expect(try world.store.pendingIntents().isEmpty)
        #expect(try await world.service().desiredCount == 4)
        #expect(try await world.emulator.calls()["AmazonEC2ContainerServiceV20141113.UpdateService"] == sentByTheChild)
        #expect(try AuditReader(path: path).verify() == .intact(rows: 2, firstID: 1, lastID: 2))
    }

    @Test func anActionThatLandedBeforeTheCrashIsRecordedAsApplied() async throws {
        let world = try await PipelineWorld.make()
        let change = PlannedChange.desiredCount(from: 4, to: 7)
        let intent = try world.store.append(DecisionRecord(
            at: world.clock.now, kind: .actionIntent, policy: "scale", target: PipelineWorld.service.id, action: "ecs_scale",
            parameters: String(decoding: try JSONEncoder().encode(change), as: UTF8.self), mode: "enforce"))
        try await world.services.ecs.updateService(cluster: "ecommerce", service: "cart-service", desiredCount: 7)
        _ = try await world.emulator.calls(reset: true)
        #expect(await world.pipeline.reconcile() == 1)
        let reconciled = try #require(try world.decisions(kind: .actionReconciled).first)
        #expect(reconciled.record.intentID == intent && reconciled.record.outcome == "applied")
        #expect(try await world.emulator.calls()["AmazonEC2ContainerServiceV20141113.UpdateService"] == nil)
    }

    @Test func anIntentForAnUnreadableTargetBlocksItUntilReconciled() async throws {
        let world = try await PipelineWorld.make()
        try await world.emulator.inject([.init(target: "DescribeServices", status: 400, code: "AccessDeniedException", count: 1)])
        _ = try world.store.append(DecisionRecord(
            at: world.clock.now, kind: .actionIntent, policy: "scale", target: PipelineWorld.service.id, action: "ecs_redeploy",
            parameters: String(decoding: try JSONEncoder().encode(PlannedChange.redeploy), as: UTF8.self), mode: "enforce"))
        #expect(await world.pipeline.reconcile() == 0)
        await world.handle(PipelineWorld.policy("other", action: .ecsRedeploy))
        #expect(try world.decisions(kind: .actionHeld).first?.record.reason == "in-flight")
        #expect(await world.pipeline.reconcile() == 1)
    }

    @Test func anIntentForATargetUnreadableAtStartIsReconciledByALaterCycle() async throws {
        let world = try await PipelineWorld.make()
        try await world.emulator.inject([.init(target: "DescribeServices", status: 400, code: "AccessDeniedException", count: 1)])
        let intent = try world.store.append(DecisionRecord(
            at: world.clock.now, kind: .actionIntent, policy: "scale", target: PipelineWorld.service.id, action: "ecs_redeploy",
            parameters: String(decoding: try JSONEncoder().encode(PlannedChange.redeploy), as: UTF8.self), mode: "enforce"))
        #expect(await world.pipeline.reconcile() == 0)
        // The target is readable again: the daemon's next cycle reconciles it, no restart needed.
        let daemon = world.daemon([PipelineWorld.policy("other", action: .ecsRedeploy)])
        await daemon.cycle()
        try await world.settle(daemon)
        let reconciled = try #require(try world.decisions(kind: .actionReconciled).first)
        #expect(reconciled.record.intentID == intent)
        #expect(try world.store.pendingIntents().isEmpty)
        // And the target is no longer blocked.
        await world.handle(PipelineWorld.policy("other", action: .ecsRedeploy))
        #expect(try world.decisions(kind: .actionHeld).allSatisfy { $0.record.reason != "in-flight" })
        #expect(try world.decisions(kind: .actionExecuted).count == 1)
    }

    @Test func anActionCutOffByTheStopIsNotGuessedButReconciledAgainstTheTarget() async throws {
        let world = try await PipelineWorld.make()
        // Every UpdateService attempt hangs and never lands: the cancellation lands while one is
        // in flight, however long a loaded machine takes to get there. (A call that was only
        // held and then served changed the target behind the test's back once it took 20 s.)
        try await world.emulator.inject([.init(target: "UpdateService", status: 500, code: "InternalFailure", delay: 300, count: 3)])
        let policy = PipelineWorld.policy("scale", action: .ecsScale(.by(2), bounds: CountBounds(min: nil, max: 10)))
        let acting = Task { await world.handle(policy) }
        // The target is read first: on a loaded machine (the whole suite beside it) that read can
        // take most of the 20 s the call is held, so both waits allow longer.
        #expect(try await eventually(timeout: .seconds(60)) { try !world.decisions(kind: .actionIntent).isEmpty })
        // The call leaves just after its intent is written: on a loaded machine it may reach the
        // emulator a moment later.
        #expect(try await eventually(timeout: .seconds(60)) { try await world.emulator.calls()["AmazonEC2ContainerServiceV20141113.UpdateService"] ?? 0 >= 1 })
        acting.cancel()
        await acting.value
        let sent = try await world.emulator.calls()["AmazonEC2ContainerServiceV20141113.UpdateService"]
        // Nobody knows whether AWS made the change: no outcome is guessed, the intent stays open
        // and the target blocked.
        #expect(try world.decisions(kind: .actionFailed).isEmpty)
        #expect(try world.store.pendingIntents().count == 1)
        await world.handle(PipelineWorld.policy("other", action: .ecsRedeploy))
        #expect(try world.decisions(kind: .actionHeld).last?.record.reason == "in-flight")
        // The next cycle's reconciliation reads the target (still 4 tasks) and sends nothing again.
        #expect(await world.pipeline.retryReconciliation() == 1)
        let reconciled = try #require(try world.decisions(kind: .actionReconciled).first)
        #expect(reconciled.record.outcome == "not-applied")
        #expect(try world.store.pendingIntents().isEmpty)
        #expect(try await world.emulator.calls()["AmazonEC2ContainerServiceV20141113.UpdateService"] == sent)
    }
}
