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

    /// Moves the test clock to `offset` seconds after the next multiple of `step` seconds, so
    /// that the test knows which moves cross a period boundary.
    static func align(_ world: PipelineWorld, to step: Double, offset: Double = 5) {
        let now = world.clock.now.timeIntervalSince1970
        world.clock.advance((now / step).rounded(.down) * step + step + offset - now)
    }

    @Test func aVerificationDeadlineBetweenTwoHourlyPeriodsIsSettledAtTheDeadline() async throws {
        let world = try await PipelineWorld.make()
        Self.align(world, to: 3600)
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
        // The verdict is still firing and no guardrail holds (no cooldown), yet one period's
        // evidence made one action: it is offered again at every poll, not acted on again.
        world.clock.advance(60)
        await daemon.cycle()
        try await world.settle(daemon)
        #expect(try world.decisions(kind: .actionIntent).count == 1)
        #expect(try await world.service().desiredCount == 5)
    }

    @Test func aVerificationDueWhileThePolicyHasNoDataIsSettledAtTheDeadline() async throws {
        let world = try await PipelineWorld.make()
        Self.align(world, to: 60)
        // Data up to the period judged first, none after.
        let last = PeriodGrid(period: .minutes(1)).newestJudged(at: world.clock.now, settle: .minutes(1))
        let metrics = ScriptedMetrics { $0 <= last ? 5 : nil }
        let policy = Self.policy("scale", action: .ecsScale(.by(1), bounds: CountBounds(min: 1, max: 50)), verifyWithin: TimeSpan(seconds: 70))
        let daemon = world.daemon([policy], metrics: metrics)
        await daemon.cycle()
        try await world.settle(daemon)
        let kinds = try world.kinds()
        #expect(try world.decisions(kind: .actionExecuted).count == 1, "\(kinds)")
        // The next minute has no data: insufficient-data, neither resolved nor firing.
        world.clock.advance(60)
        await daemon.cycle()
        try await world.settle(daemon)
        #expect(try world.decisions(kind: .stateChange).last?.record.stateTo == "insufficient-data")
        #expect(try world.decisions(kind: .actionNotVerified).isEmpty)
        // Past the 70 s, within the same minute: settled now, not at the next minute.
        world.clock.advance(15)
        await daemon.cycle()
        try await world.settle(daemon)
        #expect(metrics.fetches == 2)
        #expect(try world.decisions(kind: .actionNotVerified).count == 1)
    }

    @Test func aReloadJudgesTheChangedPolicyAtOnceOnTheSeriesItHolds() async throws {
        let world = try await PipelineWorld.make()
        Self.align(world, to: 60)
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

/// Each query's value at each period, from a function of the period's start; nil is missing.
final class ScriptedMetrics: MetricsSource, @unchecked Sendable {
    private let lock = NSLock()
    private let value: @Sendable (Int) -> Double?
    private var count = 0
    /// How many fetches were made.
    var fetches: Int { lock.withLock { count } }

    init(_ value: @escaping @Sendable (Int) -> Double?) { self.value = value }

    func fetch(_ queries: [MetricQuery], from start: Date, to end: Date) async -> [MetricQuery: Result<MetricSeries, MetricsFailure>] {
        lock.withLock { count += 1 }
        var results: [MetricQuery: Result<MetricSeries, MetricsFailure>] = [:]
        for query in queries {
            var series = MetricSeries(period: query.period)
            for period in stride(from: PeriodGrid(period: query.period).start(of: start), to: Int(end.timeIntervalSince1970), by: query.period.seconds) {
                series.set(value(period), at: period)
            }
            results[query] = .success(series)
        }
        return results
    }
}
