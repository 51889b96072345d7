import Foundation
import ReflexAWS
import ReflexCore
import ReflexRuntime
import Testing

/// Guardrails as the pipeline applies them: every hold recorded once with its reason,
/// nothing sent to AWS while held.
struct GuardrailPipelineTests {
    static let scale = Action.ecsScale(.by(1), bounds: CountBounds(min: 1, max: 50))

    @Test func cooldownHoldsAreRecordedOnceAndNothingIsSent() async throws {
        let world = try await PipelineWorld.make()
        let policy = PipelineWorld.policy("scale", action: Self.scale, guardrails: Guardrails(cooldown: .minutes(10)))
        await world.handle(policy)
        _ = try await world.emulator.calls(reset: true)
        for _ in 0..<3 {
            world.clock.advance(60)
            await world.handle(policy)
        }
        #expect(try world.kinds(policy: "scale") == ["action-intent", "action-executed", "action-held"])
        #expect(try world.decisions(kind: .actionHeld).first?.record.reason == "cooldown")
        #expect(try await world.emulator.calls()["AmazonEC2ContainerServiceV20141113.UpdateService"] == nil)
        // After the cooldown it acts again.
        world.clock.advance(600)
        await world.handle(policy)
        #expect(try await world.service().desiredCount == 6)
    }

    @Test func budgetsSafeModeGatesAndDryRunEachLeaveTheirRecord() async throws {
        let world = try await PipelineWorld.make(settings: ActionPipelineSettings(globalBudget: Budget(count: 2, window: .hours(1))))
        await world.handle(PipelineWorld.policy("budget", action: Self.scale, guardrails: Guardrails(maxActions: Budget(count: 1, window: .hours(1)))))
        await world.handle(PipelineWorld.policy("budget", action: Self.scale, guardrails: Guardrails(maxActions: Budget(count: 1, window: .hours(1)))))
        await world.handle(PipelineWorld.policy("other", action: Self.scale))
        await world.handle(PipelineWorld.policy("third", action: Self.scale))
        await world.handle(PipelineWorld.policy("gated", action: Self.scale, gates: [.notDeployedWithin(.hours(1))]))
        await world.handle(PipelineWorld.policy("dry", action: Self.scale, mode: .dryRun))
        await world.handle(PipelineWorld.policy("quiet", action: nil))
        try world.store.setSafeMode(true, at: world.clock.now, by: "test")
        world.clock.advance(7200)
        await world.handle(PipelineWorld.policy("safe", action: Self.scale))
        let held = try world.decisions(kind: .actionHeld).map { "\($0.record.policy!):\($0.record.reason!)" }
        #expect(held == ["budget:policy-budget", "third:global-budget", "gated:gate", "quiet:no-action", "safe:safe-mode"])
        #expect(try world.decisions(kind: .actionDryRun).map(\.record.detail) == ["dry-run: would desired count 6 -> 7"])
        // Two executed actions (budget, other): 4 -> 6, whatever the holds and the dry run.
        #expect(try await world.service().desiredCount == 6)
        #expect(try world.decisions(kind: .actionHeld).last?.record.parameters?.contains("desiredCount") == true)
    }

    @Test func twoPoliciesFiringOnOneServiceInOneCycleActOnce() async throws {
        let world = try await PipelineWorld.make()
        let first = PipelineWorld.policy("first", action: .ecsScale(.by(2), bounds: CountBounds(min: 1, max: 50)))
        let second = PipelineWorld.policy("second", action: .ecsRedeploy)
        // The first UpdateService answers after 5 s: the other policy decides while it is in
        // flight however slow the machine, instead of after it on a loaded one.
        try await world.emulator.inject([.init(target: "UpdateService", delay: 5, count: 1)])
        async let a: Void = world.handle(first)
        async let b: Void = world.handle(second)
        _ = await (a, b)
        #expect(try world.decisions(kind: .actionExecuted).count == 1)
        #expect(try world.decisions(kind: .actionHeld).map(\.record.reason) == ["in-flight"])
    }

    @Test func theCircuitOpensAfterActionsThatDoNotHelp() async throws {
        let world = try await PipelineWorld.make(settings: ActionPipelineSettings(circuitThreshold: 2))
        let policy = PipelineWorld.policy("flapping", action: Self.scale, verifyWithin: .minutes(5))
        for _ in 0..<2 {
            await world.handle(policy)      // acts
            world.clock.advance(360)
            await world.handle(policy)      // still firing after the window: not verified
        }
        #expect(try world.decisions(kind: .actionNotVerified).count == 2)
        #expect(try world.store.openCircuitKeys() == [CircuitKey(policy: "flapping", target: policy.target.id)])
        world.clock.advance(60)
        await world.handle(policy)
        #expect(try world.decisions(kind: .actionHeld).last?.record.reason == "circuit-open")
        #expect(await world.notifier.kinds.contains("circuit-opened"))
        // An operator reset closes it; a resolved condition verifies the next action.
        #expect(try world.store.resetCircuits(policy: "flapping", at: world.clock.now, by: "test") == [policy.target.id])
        world.clock.advance(60)
        await world.handle(policy)
        world.clock.advance(60)
        await world.handle(policy, .ok)
        #expect(try world.decisions(kind: .actionVerified).count == 1)
    }

    @Test func anAWSErrorIsRecordedAsFailedNotifiedAndNotRetriedBeforeTheCooldown() async throws {
        let world = try await PipelineWorld.make()
        try await world.emulator.inject([.init(target: "UpdateService", status: 400, code: "AccessDeniedException", count: 5)])
        let policy = PipelineWorld.policy("denied", action: Self.scale, guardrails: Guardrails(cooldown: .minutes(10)))
        await world.handle(policy)
        let failed = try #require(try world.decisions(kind: .actionFailed).first)
        #expect(failed.record.reason == "AccessDeniedException")
        #expect(failed.record.intentID != nil)
        #expect(await world.notifier.kinds.contains("action-failed"))
        world.clock.advance(60)
        await world.handle(policy)
        #expect(try world.decisions(kind: .actionHeld).last?.record.reason == "cooldown")
        // A 400 is not retried by the client: one UpdateService call in all.
        #expect(try await world.emulator.calls()["AmazonEC2ContainerServiceV20141113.UpdateService"] == 1)
        #expect(try await world.service().desiredCount == 4)
    }

    @Test func anUnreadableTargetHoldsTheActionBack() async throws {
        let world = try await PipelineWorld.make()
        await world.handle(PipelineWorld.policy("ghost", target: .ecsService(cluster: "ecommerce", service: "missing"), action: Self.scale))
        #expect(try world.decisions(kind: .actionHeld).first?.record.reason == "target-unreadable")
        #expect(try world.decisions(kind: .actionIntent).isEmpty)
    }
}
