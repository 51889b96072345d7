import Foundation
import ReflexAudit
import ReflexCore
import ReflexRuntime
import Testing

/// A restarted daemon goes on from where the previous run left: states and verifications.
@Suite(.serialized) struct ResumeTests {
    @Test func aPolicyStillFiringAfterARestartIsNotFiredAgainAndOneThatResolvedIsRecordedResolved() async throws {
        let world = try await PipelineWorld.make()
        ScheduledJudgingTests.align(world, to: 60)
        let metrics = TableMetrics()
        metrics.set("", 5)
        let still = ScheduledJudgingTests.policy("still"), gone = ScheduledJudgingTests.policy("gone", condition: "a > 4")
        let first = world.daemon([still, gone], metrics: metrics)
        await first.cycle()
        #expect(try world.decisions(kind: .stateChange).map(\.record.stateTo) == ["firing", "firing"])
        #expect(await world.notifier.kinds == ["fired", "fired"])

        // The next run, after a change in the data: "gone" is no longer breaching.
        metrics.set("", 3)
        world.clock.advance(120)
        let second = world.daemon([still, gone], metrics: metrics, pipeline: world.restartedPipeline())
        await second.resume()
        await second.cycle()
        let changes = try world.decisions(kind: .stateChange).map { "\($0.record.policy ?? "") \($0.record.stateFrom ?? "")->\($0.record.stateTo ?? "")" }
        #expect(changes == ["still insufficient-data->firing", "gone insufficient-data->firing", "gone firing->ok"])
        #expect(await world.notifier.kinds == ["fired", "fired", "resolved"])
        // The second run judged both: "still" saw data and stayed firing.
        #expect(metrics.fetches.count == 2)
        #expect(await second.instances.count == 2)
    }

    @Test func aChangedPolicyStartsAfresh() async throws {
        let world = try await PipelineWorld.make()
        ScheduledJudgingTests.align(world, to: 60)
        let metrics = TableMetrics()
        metrics.set("", 5)
        let policy = ScheduledJudgingTests.policy("p")
        let first = world.daemon([policy], metrics: metrics, hashes: ["p": "old"])
        await first.cycle()
        world.clock.advance(60)
        let second = world.daemon([policy], metrics: metrics, hashes: ["p": "new"], pipeline: world.restartedPipeline())
        await second.resume()
        await second.cycle()
        #expect(try world.decisions(kind: .stateChange).map(\.record.stateTo) == ["firing", "firing"])
    }

    @Test func aVerificationPendingAtTheStopCompletesAfterIt() async throws {
        let world = try await PipelineWorld.make()
        ScheduledJudgingTests.align(world, to: 60)
        let metrics = TableMetrics()
        metrics.set("", 5)
        let policy = ScheduledJudgingTests.policy("scale", action: .ecsScale(.by(1), bounds: CountBounds(min: 1, max: 50)),
                                                  verifyWithin: .minutes(5))
        let first = world.daemon([policy], metrics: metrics)
        await first.cycle()
        try await world.settle(first)
        let intent = try #require(try world.decisions(kind: .actionIntent).first)
        #expect(try world.decisions(kind: .actionExecuted).count == 1)

        // Restarted two minutes later; the condition resolves within the five minutes.
        world.clock.advance(120)
        metrics.set("", 0)
        let second = world.daemon([policy], metrics: metrics, pipeline: world.restartedPipeline())
        await second.resume()
        await second.cycle()
        try await world.settle(second)
        let verified = try world.decisions(kind: .actionVerified)
        #expect(verified.map(\.record.intentID) == [intent.id])
        #expect(try world.decisions(kind: .actionExecuted).count == 1)
    }
}
