import Foundation

/// Runs policy unit tests on the simulator and explains every mismatch as expected versus got.
public enum PolicyTestRunner {
    /// A mismatch between an expectation and what the simulation decided.
    public struct Failure: Hashable, Sendable, CustomStringConvertible {
        /// The line of the expectation in the test file.
        public let line: Int
        /// Expected versus got.
        public let message: String

        public var description: String { message }
    }

    /// The most evaluation steps one test may take, so a typo cannot hang `reflex test`.
    public static let maximumSteps = 100_000

    /// Runs `test` against `policies` and returns its failures; empty means it passed.
    public static func run(_ test: PolicyTestCase, policies: [Policy]) -> [Failure] {
        guard let step = test.step ?? policies.map(\.period).min() else {
            return [Failure(line: test.expectations.first?.line ?? 0, message: "no policies to test")]
        }
        let fleet = PolicyTestFleet(policies: policies, instances: test.instances ?? [])
        let start = test.start
        // Fleet instances read their own series and facts; policies over one target the test's.
        var seriesByTarget: [String: [String: [Double?]]] = [:]
        var snapshots = Dictionary(policies.map { ($0.target.id, test.snapshot) }, uniquingKeysWith: { first, _ in first })
        var deployedAt = Dictionary(policies.compactMap { policy in
            test.deployedAt.map { (policy.target.id, start.addingTimeInterval(Double($0.seconds))) }
        }, uniquingKeysWith: { first, _ in first })
        for policy in policies where policy.isFleet {
            for instance in test.instances ?? [] {
                guard let target = fleet.targets[policy.name]?[instance.name] else { continue }
                seriesByTarget[target.id] = instance.series
                snapshots[target.id] = instance.snapshot
                deployedAt[target.id] = instance.deployedAt.map { start.addingTimeInterval(Double($0.seconds)) }
            }
        }
        let testSeries = test.series
        let simulator = PolicySimulator(
            policies: fleet.policies,
            series: { [seriesByTarget] policy in
                let values = policy.isFleet ? seriesByTarget[policy.target.id] ?? [:] : testSeries
                return Dictionary(uniqueKeysWithValues: policy.metrics.compactMap { metric in
                    values[metric.name].map { (metric.name, MetricSeries(period: metric.query.period, start: start, values: $0)) }
                })
            },
            deployedAt: deployedAt, snapshots: snapshots, safeMode: test.safeMode, globalBudget: test.globalBudget)
        let last = test.expectations.map(\.at).max() ?? TimeSpan(seconds: 0)
        guard last.seconds / step.seconds <= maximumSteps else {
            return [Failure(line: test.expectations.first?.line ?? 0,
                            message: "the test runs to \(last) in steps of \(step): more than \(maximumSteps) steps")]
        }
        let steps = simulator.run(from: start, through: start.addingTimeInterval(Double(last.seconds)), step: step)
        return test.expectations.compactMap { expectation in
            check(expectation, steps: steps, policies: policies, fleet: fleet, test: test, step: step)
        }
    }
}
