import Foundation
import ReflexAWS
import ReflexCore
import ReflexRuntime
import Testing

/// Every action kind through the pipeline against the emulator, asserting AWS's state after.
struct ActuatorTests {
    @Test func ecsActionsChangeTheServiceWithinBounds() async throws {
        let world = try await PipelineWorld.make()
        // Rollback without history: the previous ACTIVE revision.
        await world.handle(PipelineWorld.policy("rollback", action: .ecsRollback(.lastKnownGood, waitStable: nil)))
        #expect(try await world.service().taskDefinition.flatMap(ECSClient.revision(of:)) == 2)
        #expect(try world.decisions(kind: .actionExecuted).last?.record.detail == "task definition revision 3 -> 2")

        // Scale by +2 clamped to 5.
        await world.handle(PipelineWorld.policy("scale", action: .ecsScale(.by(2), bounds: CountBounds(min: 1, max: 5))))
        #expect(try await world.service().desiredCount == 5)
        // Already at the bound: held as no-change, and UpdateService is not called.
        _ = try await world.emulator.calls(reset: true)
        await world.handle(PipelineWorld.policy("scale-again", action: .ecsScale(.by(2), bounds: CountBounds(min: 1, max: 5))))
        #expect(try world.decisions(kind: .actionHeld).last?.record.reason == "no-change")
        #expect(try await world.emulator.calls()["AmazonEC2ContainerServiceV20141113.UpdateService"] == nil)

        // Redeploy: a new deployment.
        let before = try await world.service().newestDeployment?.id
        await world.handle(PipelineWorld.policy("redeploy", action: .ecsRedeploy))
        #expect(try await world.service().newestDeployment?.id != before)

        // Auto Scaling bounds.
        await world.handle(PipelineWorld.policy("bounds", action: .autoscalingBounds(CountBounds(min: 3, max: 20))))
        #expect(try await world.services.autoScaling.bounds(cluster: "ecommerce", service: "cart-service") == .init(min: 3, max: 20))
        #expect(try world.decisions(kind: .actionExecuted).count == 4)
        #expect(try world.decisions(kind: .actionExecuted).allSatisfy { $0.record.awsRequestID != nil && $0.record.intentID != nil })
    }

    @Test func tableActionsChangeCapacityUpToTheirCeilingThenBilling() async throws {
        let world = try await PipelineWorld.make()
        let raise = Action.dynamoDBCapacity(read: CapacityChange(amount: .factor(2), max: 150), write: CapacityChange(amount: .factor(2), max: nil))
        await world.handle(PipelineWorld.policy("capacity", target: PipelineWorld.table, action: raise))
        let raised = try await world.services.dynamoDB.describeTable("cart-service-carts")
        #expect(raised.readCapacity == 150 && raised.writeCapacity == 100)
        await world.handle(PipelineWorld.policy("on-demand", target: PipelineWorld.table, action: .dynamoDBOnDemand))
        #expect(try world.decisions(kind: .actionExecuted).map(\.record.detail) == ["capacity read 100 -> 150, write 50 -> 100", "billing mode -> on-demand"])
    }

    @Test func lastKnownGoodComesFromObservedHistory() async throws {
        let world = try await PipelineWorld.make(settings: ActionPipelineSettings(stableAfter: .minutes(30)))
        let target = PipelineWorld.service.id
        let arns = try await world.services.ecs.activeRevisions(family: "cart-service")
        // Revision 1 served stably for an hour, then revision 3 came (2 was never stable).
        for _ in 0..<7 {
            try world.store.observeDeployment(target: target, taskDefinition: arns[0], revision: 1, stable: true, at: world.clock.now, stableAfter: .minutes(30))
            world.clock.advance(600)
        }
        try world.store.observeDeployment(target: target, taskDefinition: arns[1], revision: 2, stable: false, at: world.clock.now, stableAfter: .minutes(30))
        world.clock.advance(3600)
        try world.store.observeDeployment(target: target, taskDefinition: arns[1], revision: 2, stable: false, at: world.clock.now, stableAfter: .minutes(30))
        #expect(try world.store.lastKnownGood(target: target, currentRevision: 3) == 1)
        await world.handle(PipelineWorld.policy("rollback", action: .ecsRollback(.lastKnownGood, waitStable: nil)))
        #expect(try await world.service().taskDefinition.flatMap(ECSClient.revision(of:)) == 1)
        // `previous-revision` ignores history.
        try await world.services.ecs.updateService(cluster: "ecommerce", service: "cart-service", taskDefinition: arns[2])
        await world.handle(PipelineWorld.policy("previous", action: .ecsRollback(.previousRevision, waitStable: nil)))
        #expect(try await world.service().taskDefinition.flatMap(ECSClient.revision(of:)) == 2)
    }

    @Test func rollbackWaitsForAStableServiceUntilItsDeadline() async throws {
        let world = try await PipelineWorld.make()
        // The emulator's rollouts never complete: the wait ends at its deadline, and says so.
        await world.handle(PipelineWorld.policy("rollback", action: .ecsRollback(.previousRevision, waitStable: TimeSpan(seconds: 1))))
        let executed = try #require(try world.decisions(kind: .actionExecuted).first)
        #expect(executed.record.detail == "task definition revision 3 -> 2")
        let rollout = try #require(try world.decisions(kind: .rolloutChecked).first)
        #expect(rollout.record.intentID == executed.record.intentID)
        #expect(rollout.record.outcome == "not-stable")
        #expect(rollout.record.detail == "the service did not become stable within 1s")
        #expect(try await world.service().taskDefinition.flatMap(ECSClient.revision(of:)) == 2)
    }

    @Test func aRolloutThatNeverCompletesIsNeverLastKnownGood() async throws {
        // The emulator reports every rollout IN_PROGRESS with no running tasks: never stable.
        let world = try await PipelineWorld.make(settings: ActionPipelineSettings(stableAfter: .minutes(30)))
        for _ in 0..<7 {
            await world.pipeline.observeDeployments(of: [PipelineWorld.service])
            world.clock.advance(600)
        }
        #expect(try world.store.lastKnownGood(target: PipelineWorld.service.id, currentRevision: 1) == nil)
    }
}
