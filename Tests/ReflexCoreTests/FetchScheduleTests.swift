import Foundation
import ReflexCore
import Testing

/// The fetch schedule buys each series once per newly settled period and judges each policy
/// once per period, with the decisions of fetching everything at every poll.
struct FetchScheduleTests {
    /// A metrics backend on a simulated clock that counts what it is asked for. Values are a
    /// fixed function of the series and the period (some periods missing), so that two ways of
    /// fetching see the same data.
    final class CountingSource {
        private(set) var calls = 0
        private(set) var metricsRequested = 0

        func fetch(_ queries: [MetricQuery], from start: Date, to end: Date) -> [MetricQuery: Result<MetricSeries, MetricsFailure>] {
            calls += 1
            metricsRequested += queries.count
            var results: [MetricQuery: Result<MetricSeries, MetricsFailure>] = [:]
            for query in queries {
                let grid = PeriodGrid(period: query.period)
                var series = MetricSeries(period: query.period)
                var period = grid.start(of: start)
                while period < Int(end.timeIntervalSince1970) {
                    series.set(Self.value(query, at: period), at: period)
                    period += query.period.seconds
                }
                results[query] = .success(series)
            }
            return results
        }

        /// Runs above and below 50, so that policies fire, hold and resolve: eight periods of
        /// twenty high with every thirteenth missing, and for hourly series (judged only three
        /// times in three hours) high every other hour.
        static func value(_ query: MetricQuery, at period: Int) -> Double? {
            let index = period / query.period.seconds + query.metric.unicodeScalars.reduce(0) { $0 + Int($1.value) }
            if query.period.seconds >= 3600 { return index % 2 == 0 ? 80 : 20 }
            if index % 13 == 0 { return nil }
            return index % 20 < 8 ? 80 : 20
        }
    }

    static func query(_ metric: String, _ period: TimeSpan) -> MetricQuery {
        MetricQuery(namespace: "Test", metric: metric, dimensions: [], stat: Statistic("Sum")!, period: period)
    }

    static func policy(_ name: String, period: TimeSpan, condition: String, window: BreachWindow, metrics: [String: String],
                       missing: MissingDataMode = .missing) -> Policy {
        Policy(name: name, mode: .enforce,
               metrics: metrics.sorted { $0.key < $1.key }.map { NamedMetric(name: $0.key, query: query($0.value, period)) },
               condition: try! ExpressionParser.parseCondition(condition, metrics: Set(metrics.keys), period: period),
               window: window, missingData: missing, period: period, target: .ecsService(cluster: "c", service: name))
    }

    /// One-minute, five-minute and hourly policies; some share a series, one reads two, one
    /// looks back with a window function.
    static let mixed: [Policy] = [
        policy("m1", period: .minutes(1), condition: "a > 50", window: BreachWindow(required: 3, of: 5), metrics: ["a": "M1"]),
        policy("m1-shared", period: .minutes(1), condition: "a > 60", window: BreachWindow(required: 2, of: 3), metrics: ["a": "M1"],
               missing: .breaching),
        policy("m2", period: .minutes(1), condition: "avg_over(a, 10m) > 50 and b > 50", window: BreachWindow(required: 1, of: 1),
               metrics: ["a": "M2", "b": "M3"], missing: .notBreaching),
        policy("f1", period: .minutes(5), condition: "a > 50", window: BreachWindow(required: 2, of: 3), metrics: ["a": "F1"]),
        policy("f2", period: .minutes(5), condition: "max_over(a, 30m) > 50", window: BreachWindow(required: 1, of: 2),
               metrics: ["a": "F2"], missing: .ignore),
        policy("f3", period: .minutes(5), condition: "a > 50", window: BreachWindow(required: 1, of: 1), metrics: ["a": "F1"]),
        policy("h1", period: .hours(1), condition: "a > 50", window: BreachWindow(required: 2, of: 3), metrics: ["a": "H1"]),
        policy("h2", period: .hours(1), condition: "a > 50", window: BreachWindow(required: 1, of: 1), metrics: ["a": "H2"],
               missing: .breaching),
    ]

    /// What a decision is made of, for comparing two runs.
    struct Decision: Hashable, CustomStringConvertible {
        let policy: String
        let judged: Date
        let from: PolicyStatus
        let to: PolicyStatus
        let reason: String
        var description: String { "\(policy) \(judged) \(from.rawValue)->\(to.rawValue) \(reason)" }
    }

    static func decision(_ evaluation: Evaluation) -> Decision {
        Decision(policy: evaluation.policy, judged: evaluation.judgedPeriod, from: evaluation.previous, to: evaluation.status,
                 reason: evaluation.reason.code)
    }

    @Test func threeHoursOfPollsBuyEachSeriesOncePerPeriodAndDecideAsFetchingEverythingEveryPoll() {
        let start = Date(timeIntervalSince1970: 1_767_225_600 + 7)
        let polls = 3 * 360 // every 10 s for three hours

        // The schedule.
        let scheduled = CountingSource()
        var schedule = FetchSchedule()
        var states: [String: PolicyStatus] = [:]
        var judged: [String: [Date]] = [:]
        var decisions: [Decision] = []
        for poll in 0..<polls {
            let now = start.addingTimeInterval(Double(poll * 10))
            let cycle = schedule.plan(Self.mixed, at: now)
            if !cycle.queries.isEmpty { schedule.absorb(scheduled.fetch(cycle.queries, from: cycle.start, to: cycle.end), of: cycle) }
            for policy in cycle.due {
                let evaluation = schedule.judge(policy, previous: states[policy.name] ?? .insufficientData, at: now)
                states[policy.name] = evaluation.status
                judged[policy.name, default: []].append(evaluation.judgedPeriod)
                if evaluation.changed { decisions.append(Self.decision(evaluation)) }
            }
        }

        // Everything at every poll.
        let everyPoll = CountingSource()
        var baselineStates: [String: PolicyStatus] = [:]
        var baseline: [Decision] = []
        for poll in 0..<polls {
            let now = start.addingTimeInterval(Double(poll * 10))
            let window = MetricsWindow(policies: Self.mixed, at: now)
            let fetched = FetchedMetrics(everyPoll.fetch(window.queries, from: window.start, to: window.end))
            for policy in Self.mixed {
                let evaluation = PolicyEvaluator.evaluate(policy, series: fetched.series(for: policy),
                                                          previous: baselineStates[policy.name] ?? .insufficientData, at: now)
                baselineStates[policy.name] = evaluation.status
                if evaluation.changed { baseline.append(Self.decision(evaluation)) }
            }
        }

        // The floor: each distinct series once per period of the three hours.
        let series = Set(Self.mixed.flatMap { $0.metrics.map(\.query) })
        let floor = series.reduce(0) { $0 + 3 * 3600 / $1.period.seconds }
        #expect(series.count == 7)
        #expect(floor == 3 * 180 + 2 * 36 + 2 * 3)
        #expect(Double(scheduled.metricsRequested) <= Double(floor) * 1.05, "\(scheduled.metricsRequested) requested, floor \(floor)")
        #expect(scheduled.metricsRequested >= floor)
        #expect(everyPoll.metricsRequested == series.count * polls)
        // About one call a minute (the one-minute series), not one every poll.
        #expect(scheduled.calls <= 3 * 60 + 1, "\(scheduled.calls) calls")

        // Every policy judged on every period of the run exactly once, up to the newest.
        let end = start.addingTimeInterval(Double((polls - 1) * 10))
        for policy in Self.mixed {
            let periods = judged[policy.name] ?? []
            let newest = PeriodGrid(period: policy.period).newestJudged(at: end, settle: policy.settleDelay)
            let first = PeriodGrid(period: policy.period).newestJudged(at: start, settle: policy.settleDelay)
            let expected = stride(from: first, through: newest, by: policy.period.seconds).map { Date(timeIntervalSince1970: Double($0)) }
            #expect(periods == expected, "\(policy.name): \(periods.count) judgements, expected \(expected.count)")
        }

        // The same decisions, and enough of them to mean something: every policy fires and
        // leaves firing at least once.
        #expect(decisions == baseline, "\(Set(decisions).symmetricDifference(baseline))")
        for policy in Self.mixed {
            #expect(decisions.contains { $0.policy == policy.name && $0.to == .firing }, "\(policy.name) never fired")
            #expect(decisions.contains { $0.policy == policy.name && $0.from == .firing }, "\(policy.name) never left firing")
        }
    }

    @Test func aPolicyIsJudgedOnlyWhenANewPeriodHasSettled() {
        let policy = Self.mixed[3] // five-minute
        let source = CountingSource()
        var schedule = FetchSchedule()
        let start = Date(timeIntervalSince1970: 1_767_225_600 + 30)
        var judgements = 0
        for second in stride(from: 0, to: 600, by: 10) {
            let now = start.addingTimeInterval(Double(second))
            let cycle = schedule.plan([policy], at: now)
            if !cycle.queries.isEmpty { schedule.absorb(source.fetch(cycle.queries, from: cycle.start, to: cycle.end), of: cycle) }
            for due in cycle.due { _ = schedule.judge(due, previous: .ok, at: now); judgements += 1 }
        }
        // At the start, then at each of the two five-minute boundaries (plus the settle delay)
        // of the ten minutes.
        #expect(judgements == 3)
        #expect(source.calls == 3)
        #expect(schedule.metricsPerHour == 12)
    }

    @Test func aFailedFetchIsAnErrorAndIsFetchedAgainAtTheNextPoll() {
        let policy = Self.mixed[0]
        let source = CountingSource()
        var schedule = FetchSchedule()
        let now = Date(timeIntervalSince1970: 1_767_225_600 + 5)
        var cycle = schedule.plan([policy], at: now)
        schedule.absorb([policy.metrics[0].query: .failure(MetricsFailure("throttled"))], of: cycle)
        let failed = schedule.judge(policy, previous: .ok, at: now)
        #expect(failed.status == .error)
        // Ten seconds later, within the same period: judged again, on a new fetch.
        let later = now.addingTimeInterval(10)
        cycle = schedule.plan([policy], at: later)
        #expect(cycle.due.map(\.name) == ["m1"])
        #expect(cycle.queries == [policy.metrics[0].query])
        schedule.absorb(source.fetch(cycle.queries, from: cycle.start, to: cycle.end), of: cycle)
        #expect(schedule.judge(policy, previous: .error, at: later).status != .error)
        // Judged now: nothing due until the next period.
        #expect(schedule.plan([policy], at: later.addingTimeInterval(10)).due.isEmpty)
    }

    @Test func aForcedOrForgottenPolicyIsJudgedAgainOnTheKeptSeriesWithoutBuyingThemAgain() {
        let policies = Array(Self.mixed[0...1]) // one shared series
        let source = CountingSource()
        var schedule = FetchSchedule()
        let now = Date(timeIntervalSince1970: 1_767_225_600 + 5)
        var cycle = schedule.plan(policies, at: now)
        #expect(cycle.queries.count == 1)
        schedule.absorb(source.fetch(cycle.queries, from: cycle.start, to: cycle.end), of: cycle)
        for policy in cycle.due { _ = schedule.judge(policy, previous: .ok, at: now) }
        let later = now.addingTimeInterval(20)
        #expect(schedule.plan(policies, at: later).due.isEmpty)
        schedule.rejudge(["m1"])
        cycle = schedule.plan(policies, at: later)
        #expect(cycle.due.map(\.name) == ["m1"] && cycle.queries.isEmpty)
        _ = schedule.judge(policies[0], previous: .ok, at: later)
        schedule.rejudge(["m1-shared"])
        cycle = schedule.plan(policies, at: later)
        #expect(cycle.due.map(\.name) == ["m1-shared"] && cycle.queries.isEmpty)
        // A policy reading further back than what is kept needs the series again.
        let longer = Self.policy("m1", period: .minutes(1), condition: "avg_over(a, 2h) > 50", window: BreachWindow(required: 1, of: 1),
                                 metrics: ["a": "M1"])
        schedule.rejudge(["m1"])
        cycle = schedule.plan([longer, policies[1]], at: later)
        #expect(cycle.queries.count == 1)
        #expect(cycle.start <= later.addingTimeInterval(-2 * 3600))
        #expect(source.calls == 1)
    }

    @Test func seriesNoPolicyReadsAreDropped() {
        let source = CountingSource()
        var schedule = FetchSchedule()
        let now = Date(timeIntervalSince1970: 1_767_225_600 + 5)
        let cycle = schedule.plan(Self.mixed, at: now)
        schedule.absorb(source.fetch(cycle.queries, from: cycle.start, to: cycle.end), of: cycle)
        #expect(schedule.metricsPerHour == 3 * 60 + 2 * 12 + 2)
        schedule.keep(only: [Self.mixed[0]])
        #expect(schedule.metricsPerHour == 60)
        #expect(schedule.plan([Self.mixed[0]], at: now).due.count == 1, "a policy not judged yet is due")
    }
}
