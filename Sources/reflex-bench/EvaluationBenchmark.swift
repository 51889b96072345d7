import Foundation
import ReflexCore

/// Pure evaluation: every policy judged against metrics already in memory, on one thread, as
/// the daemon does after its fetch. No I/O, so the figure is Reflex's own work.
struct EvaluationBenchmark {
    let policies: Int

    func run() throws -> [Measurement] {
        let definitions = try PolicyCorpus.policies(count: policies)
        let now = Date(timeIntervalSince1970: 1_767_225_600)
        let window = MetricsWindow(policies: definitions, at: now)
        let fetched = FetchedMetrics(SyntheticMetrics.series(window.queries, from: window.start, to: window.end, breachingEvery: 50))

        var firing = 0
        let seconds = Stopwatch.median(runs: 9) {
            firing = 0
            for policy in definitions {
                let evaluation = PolicyEvaluator.evaluate(policy, series: fetched.series(for: policy), previous: .ok, at: now)
                if evaluation.status == .firing { firing += 1 }
            }
        }
        let points = window.queries.count * Int(window.end.timeIntervalSince(window.start)) / 60
        return [
            Measurement(section: "evaluation", name: "evaluate \(policies) policies (one core)", value: seconds * 1000, unit: "ms",
                        note: "median of 9; \(points) datapoints, \(firing) firing; target < 100 ms: \(seconds < 0.1 ? "met" : "not met")"),
            Measurement(section: "evaluation", name: "policies evaluated per second", value: Double(policies) / seconds, unit: "policies/s",
                        note: "2 metrics each, ratio + 15-minute average, 3 of 3 periods"),
        ]
    }
}
