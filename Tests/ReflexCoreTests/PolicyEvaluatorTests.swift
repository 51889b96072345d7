import Foundation
import ReflexCore
import Testing

/// Table-driven tests that step time forward minute by minute, in the manner of Prometheus'
/// alerting tests. Minute i of a series is judged from minute i + 2 (it ends at i + 1, then
/// settles for one period).
struct PolicyEvaluatorTests {
    /// The states of `policy` at minutes `from...through`, carrying state from step to step.
    func states(_ policy: Policy, a: [Double?], b: [Double?] = [], from: Int, through: Int) -> [PolicyStatus] {
        var status = PolicyStatus.insufficientData
        var states: [PolicyStatus] = []
        let series = ["a": Fixtures.series(a), "b": Fixtures.series(b)]
        for minute in 0...through {
            status = PolicyEvaluator.evaluate(policy, series: .success(series), previous: status, at: Fixtures.at(minute)).status
            if minute >= from { states.append(status) }
        }
        return states
    }

    @Test func forNeedsEveryPeriodOfTheWindowToBreach() {
        let policy = Fixtures.policy("a > 10", window: BreachWindow(required: 3, of: 3), missing: .notBreaching)
        // Breaching from minute 2; judged from minute 4.
        #expect(states(policy, a: [0, 0, 50, 50, 50, 0, 0, 0], from: 3, through: 8)
            == [.ok, .pending, .pending, .firing, .ok, .ok])
    }

    @Test func datapointsMOfNToleratesGaps() {
        let policy = Fixtures.policy("a > 10", window: BreachWindow(required: 3, of: 5), missing: .notBreaching)
        // 50 0 50 0 50: three of five breach once minute 4 is judged, at minute 6; one minute
        // later only two of the last five do.
        #expect(states(policy, a: [50, 0, 50, 0, 50, 0, 0, 0], from: 5, through: 7) == [.ok, .firing, .ok])
        // A `for` window of the same length would never fire on that pattern.
        let strict = Fixtures.policy("a > 10", window: BreachWindow(required: 5, of: 5), missing: .notBreaching)
        #expect(!states(strict, a: [50, 0, 50, 0, 50, 0, 0, 0], from: 2, through: 9).contains(.firing))
    }

    @Test func settleDelayWaitsForLatePublishedPeriods() {
        let policy = Fixtures.policy("a > 10")
        #expect(states(policy, a: [50], from: 1, through: 2) == [.insufficientData, .firing])
        let patient = Fixtures.policy("a > 10", settle: TimeSpan(seconds: 180))
        #expect(states(patient, a: [50], from: 3, through: 4) == [.insufficientData, .firing])
    }

    @Test func missingModeWithNoDataIsInsufficientData() {
        let policy = Fixtures.policy("a > 10", window: BreachWindow(required: 2, of: 2), missing: .missing)
        #expect(states(policy, a: [nil, nil, nil], from: 3, through: 3) == [.insufficientData])
        // Partial data that cannot decide keeps the state.
        #expect(states(policy, a: [0, 0, 50, nil, nil], from: 4, through: 5) == [.pending, .pending])
    }

    @Test func ignoreModeKeepsTheStateThroughGaps() {
        let policy = Fixtures.policy("a > 10", window: BreachWindow(required: 2, of: 2), missing: .ignore)
        #expect(states(policy, a: [50, 50, nil, nil, nil, 0, 0], from: 3, through: 8)
            == [.firing, .firing, .firing, .firing, .ok, .ok])
    }

    @Test func breachingModeCountsGapsAsBreaches() {
        let policy = Fixtures.policy("a > 10", window: BreachWindow(required: 2, of: 2), missing: .breaching)
        #expect(states(policy, a: [0, nil, nil], from: 3, through: 4) == [.pending, .firing])
    }

    @Test func notBreachingModeCountsGapsAsClear() {
        let policy = Fixtures.policy("a > 10", window: BreachWindow(required: 2, of: 2), missing: .notBreaching)
        #expect(states(policy, a: [50, nil, 50, 50], from: 3, through: 5) == [.ok, .pending, .firing])
    }

    @Test func resolveGivesHysteresis() {
        let policy = Fixtures.policy("a > 10", resolve: "a < 5", missing: .notBreaching)
        // 50 fires; 8 is no longer breaching but not resolved; 2 resolves.
        #expect(states(policy, a: [50, 8, 8, 2], from: 2, through: 5) == [.firing, .firing, .firing, .ok])
        let plain = Fixtures.policy("a > 10", missing: .notBreaching)
        #expect(states(plain, a: [50, 8, 8, 2], from: 2, through: 5) == [.firing, .ok, .ok, .ok])
    }

    @Test func aFailedQueryIsAnErrorAndRecovers() {
        let policy = Fixtures.policy("a > 10")
        let failed = PolicyEvaluator.evaluate(policy, series: .failure(MetricsFailure("throttled")), previous: .firing, at: Fixtures.at(3))
        #expect(failed.status == .error)
        #expect(failed.reason == .metricsFailed(MetricsFailure("throttled")))
        let recovered = PolicyEvaluator.evaluate(policy, series: .success(["a": Fixtures.series([0, 0, 0])]), previous: .error, at: Fixtures.at(3))
        #expect(recovered.status == .ok)
    }

    @Test func evidenceCarriesTheJudgedPeriodsAndTheComparison() {
        let policy = Fixtures.policy("a / b > 0.01", window: BreachWindow(required: 2, of: 2))
        let evaluation = PolicyEvaluator.evaluate(
            policy, series: .success(["a": Fixtures.series([50, 40]), "b": Fixtures.series([1000, 1000])]),
            previous: .ok, at: Fixtures.at(3))
        #expect(evaluation.status == .firing)
        #expect(evaluation.reason == .breached(breaching: 2, periods: 2, required: 2))
        #expect(evaluation.judgedPeriod == Fixtures.at(1))
        #expect(evaluation.evidence.periods.map(\.start) == [Fixtures.at(1), Fixtures.at(0)])
        #expect(evaluation.evidence.periods.first?.values["a"] == .some(40))
        #expect(evaluation.evidence.observed == 0.04)
        #expect(evaluation.evidence.comparator == ">")
        #expect(evaluation.evidence.threshold == 0.01)
    }

    @Test func periodGridAlignsToPeriodBoundaries() {
        let grid = PeriodGrid(period: TimeSpan(seconds: 300))
        let inside = Fixtures.start.addingTimeInterval(7 * 60 + 13)
        #expect(grid.start(of: inside) == Int(Fixtures.start.timeIntervalSince1970) + 300)
        // At 00:07:13 with a 5m settle: 00:00-00:05 ended at 00:05, settled at 00:10 -> not yet.
        #expect(grid.newestJudged(at: inside, settle: TimeSpan(seconds: 300)) == Int(Fixtures.start.timeIntervalSince1970) - 300)
    }
}
