import Foundation
import ReflexAudit
import ReflexCore
import ReflexRuntime
import Testing

/// The daemon judges a policy once per period, and still settles what cannot wait for the
/// next one: a verification deadline, a reload.
@Suite(.serialized) struct ScheduledJudgingTests {
    static func policy(_ name: String, condition: String = "a > 1", period: TimeSpan = .minutes(1), action: Action? = nil,
                       verifyWithin: TimeSpan? = nil) -> Policy {
        let query = MetricQuery(namespace: "T", metric: "M", dimensions: [], stat: Statistic("Sum")!, period: period)
        return Policy(name: name, mode: .enforce, metrics: [NamedMetric(name: "a", query: query)],
                      condition: try! ExpressionParser.parseCondition(condition, metrics: ["a"], period: period),
                      period: period, target: PipelineWorld.service, action: action, verifyWithin: verifyWithin)
    }

    @Test func aVerificationDeadlineBetweenTwoHourlyPeriodsIsSettledAtTheDeadline() async throws {
        let world = try await PipelineWorld.make()
        let metrics = TableMetrics()
        metrics.set("", 5)
        let hourly = Self.policy("hourly", period: .hours(1), action: .ecsScale(.by(1), bounds: CountBounds(min: 1, max: 50)),
                                 verifyWithin: .minutes(10))
        let daemon = world.daemon([hourly], metrics: metrics)
        await daemon.cycle()
        try await world.settle(daemon)
        let kinds = try world.kinds(policy: "hourly")
        #expect(kinds.contains("action-executed"), "\(kinds)")
        // Eleven minutes on, the hour has not moved: nothing is fetched or judged, but the
        // action's ten minutes are over and it did not help.
        world.clock.advance(11 * 60)
        await daemon.cycle()
        try await world.settle(daemon)
        #expect(metrics.fetches.count == 1)
        let unverified = try world.decisions(kind: .actionNotVerified)
        #expect(unverified.count == 1)
        #expect(unverified.first?.record.detail == "the condition did not resolve within 10m")
    }

    @Test func aReloadJudgesTheChangedPolicyAtOnceOnTheSeriesItHolds() async throws {
        let world = try await PipelineWorld.make()
        let metrics = TableMetrics()
        metrics.set("", 5)
        let kept = Self.policy("kept"), changed = Self.policy("changed")
        let daemon = world.daemon([kept, changed], metrics: metrics, reloaded: [kept, Self.policy("changed", condition: "a > 10")])
        await daemon.cycle()
        #expect(try world.decisions(kind: .stateChange).map(\.record.stateTo) == ["firing", "firing"])
        world.clock.advance(10)
        await daemon.cycle()
        #expect(try world.decisions(kind: .stateChange).count == 2, "nothing judged again within the period")
        await daemon.reload()
        world.clock.advance(10)
        await daemon.cycle()
        let changes = try world.decisions(kind: .stateChange)
        #expect(changes.map { "\($0.record.policy ?? "") \($0.record.stateTo ?? "")" } == ["kept firing", "changed firing", "changed ok"])
        // The series it reads was kept: no new fetch.
        #expect(metrics.fetches.count == 1)
    }
}
