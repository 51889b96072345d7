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
        let series = test.series
        let start = test.start
        let simulator = PolicySimulator(
            policies: policies,
            series: { policy in
                Dictionary(uniqueKeysWithValues: policy.metrics.compactMap { metric in
                    series[metric.name].map { (metric.name, MetricSeries(period: metric.query.period, start: start, values: $0)) }
                })
            },
            deployedAt: Dictionary(policies.compactMap { policy in
                test.deployedAt.map { (policy.target.id, start.addingTimeInterval(Double($0.seconds))) }
            }, uniquingKeysWith: { first, _ in first }),
            snapshots: Dictionary(policies.map { ($0.target.id, test.snapshot) }, uniquingKeysWith: { first, _ in first }),
            safeMode: test.safeMode, globalBudget: test.globalBudget)
        let last = test.expectations.map(\.at).max() ?? TimeSpan(seconds: 0)
        guard last.seconds / step.seconds <= maximumSteps else {
            return [Failure(line: test.expectations.first?.line ?? 0,
                            message: "the test runs to \(last) in steps of \(step): more than \(maximumSteps) steps")]
        }
        let steps = simulator.run(from: start, through: start.addingTimeInterval(Double(last.seconds)), step: step)
        return test.expectations.compactMap { expectation in
            check(expectation, steps: steps, policies: policies, start: start, step: step)
        }
    }

    private static func check(_ expectation: PolicyExpectation, steps: [SimulationStep], policies: [Policy],
                              start: Date, step: TimeSpan) -> Failure? {
        func fail(_ message: String) -> Failure {
            Failure(line: expectation.line, message: "at \(expectation.at): \(message)")
        }
        guard let name = expectation.policy ?? (policies.count == 1 ? policies[0].name : nil) else {
            return fail("name the policy: the test covers \(policies.count) policies")
        }
        let moment = start.addingTimeInterval(Double(expectation.at.seconds))
        guard let found = steps.first(where: { $0.evaluation.policy == name && $0.evaluation.at == moment }) else {
            return policies.contains(where: { $0.name == name })
                ? fail("no evaluation of '\(name)' at that moment (evaluations every \(step))")
                : fail("no policy named '\(name)' in the files under test")
        }
        var problems: [String] = []
        if let state = expectation.state, state != found.evaluation.status {
            problems.append("expected state \(state.rawValue), got \(found.evaluation.status.rawValue) (\(found.evaluation.reason.summary))")
        }
        let outcome = outcome(of: found.decision)
        if let expected = expectation.outcome, expected != outcome {
            problems.append("expected action \(expected.rawValue), got \(describe(found.decision))")
        }
        if let heldBy = expectation.heldBy {
            if case let .hold(reason, _)? = found.decision, reason.code == heldBy {} else {
                problems.append("expected held by \(heldBy), got \(describe(found.decision))")
            }
        }
        if let count = expectation.actionsSoFar, count != found.actionsSoFar {
            problems.append("expected \(count) action(s) so far, got \(found.actionsSoFar)")
        }
        if let target = expectation.target {
            problems += targetMismatches(expected: target, got: found.snapshot)
        }
        guard !problems.isEmpty else { return nil }
        return fail("policy '\(name)': " + problems.joined(separator: "; "))
    }

    private static func outcome(of decision: ActionDecision?) -> PolicyExpectation.Outcome {
        switch decision {
        case .act?: .executed
        case .dryRun?: .dryRun
        case .hold?: .held
        case nil: .none
        }
    }

    private static func describe(_ decision: ActionDecision?) -> String {
        switch decision {
        case let .act(change)?: "executed (\(change.summary))"
        case let .dryRun(change)?: "dry-run (\(change.summary))"
        case let .hold(reason, _)?: "held by \(reason.code) (\(reason.summary))"
        case nil: "none"
        }
    }

    private static func targetMismatches(expected: TargetSnapshot, got: TargetSnapshot) -> [String] {
        let fields: [(String, Int?, Int?)] = [
            ("desired_count", expected.desiredCount, got.desiredCount), ("revision", expected.revision, got.revision),
            ("read_capacity", expected.readCapacity, got.readCapacity), ("write_capacity", expected.writeCapacity, got.writeCapacity),
            ("scaling_min", expected.scalingMin, got.scalingMin), ("scaling_max", expected.scalingMax, got.scalingMax),
        ]
        var problems = fields.compactMap { name, want, have -> String? in
            guard let want, want != have else { return nil }
            return "expected target \(name) \(want), got \(have.map(String.init) ?? "unknown")"
        }
        if let want = expected.onDemand, want != (got.onDemand ?? false) {
            problems.append("expected target on_demand \(want), got \(got.onDemand ?? false)")
        }
        return problems
    }
}
