import Foundation

/// Judging one expectation against the simulated steps, as expected versus got.
extension PolicyTestRunner {
    /// The mismatch between `expectation` and `steps`, or nil when it holds. A fleet policy's
    /// expectation names the instance; one the selector leaves out has no evaluation at all.
    static func check(_ expectation: PolicyExpectation, steps: [SimulationStep], policies: [Policy],
                      fleet: PolicyTestFleet, test: PolicyTestCase, step: TimeSpan) -> Failure? {
        func fail(_ message: String) -> Failure {
            Failure(line: expectation.line, message: "at \(expectation.at): \(message)")
        }
        guard let name = expectation.policy ?? (policies.count == 1 ? policies[0].name : nil) else {
            return fail("name the policy: the test covers \(policies.count) policies")
        }
        guard let policy = policies.first(where: { $0.name == name }) else {
            return fail("no policy named '\(name)' in the files under test")
        }
        let moment = test.start.addingTimeInterval(Double(expectation.at.seconds))
        var subject = "policy '\(name)'"
        var target = policy.target
        if policy.isFleet {
            let instances = test.instances ?? []
            guard let instance = expectation.instance ?? (instances.count == 1 ? instances[0].name : nil) else {
                return fail("\(subject) covers a fleet: name the instance, one of \(instances.map(\.name).joined(separator: ", "))")
            }
            subject += " instance '\(instance)'"
            guard let found = fleet.targets[name]?[instance] else { return fail("\(subject): no such instance in this test") }
            target = found
            if let why = fleet.notJudged[name]?[instance] {
                return expectation.evaluated == false ? nil : fail("\(subject) is not judged: \(why)")
            }
        } else if let instance = expectation.instance {
            return fail("\(subject) covers one target, so it has no instance '\(instance)'")
        }
        let found = steps.first { $0.evaluation.policy == name && $0.target == target && $0.evaluation.at == moment }
        if expectation.evaluated == false {
            return found.map { fail("\(subject): expected no evaluation, got state \($0.evaluation.status.rawValue)") }
        }
        guard let found else { return fail("no evaluation of \(subject) at that moment (evaluations every \(step))") }
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
            problems += differences(expected: target, got: found.snapshot).map { "expected target \($0.field) \($0.expected), got \($0.got)" }
        }
        if let change = expectation.change, let problem = changeMismatch(expected: change, decision: found.decision) {
            problems.append(problem)
        }
        guard !problems.isEmpty else { return nil }
        return fail("\(subject): " + problems.joined(separator: "; "))
    }

    private static func outcome(of decision: ActionDecision?) -> PolicyExpectation.Outcome {
        switch decision {
        case .act?: .executed
        case .dryRun?: .dryRun
        case .requestApproval?: .approvalRequested
        case .hold?: .held
        case nil: .none
        }
    }

    private static func describe(_ decision: ActionDecision?) -> String {
        switch decision {
        case let .act(change)?: "executed (\(change.summary))"
        case let .dryRun(change)?: "dry-run (\(change.summary))"
        case let .requestApproval(change)?: "approval requested (\(change.summary))"
        case let .hold(reason, _)?: "held by \(reason.code) (\(reason.summary))"
        case nil: "none"
        }
    }

    /// The planned change (executed, dry run, asked for approval, or held with its change
    /// planned) against the fields `expected` names, as one problem naming the
    /// change that was planned.
    private static func changeMismatch(expected: TargetSnapshot, decision: ActionDecision?) -> String? {
        let planned: PlannedChange? = switch decision {
        case let .act(change)?, let .dryRun(change)?, let .requestApproval(change)?: change
        case let .hold(_, change)?: change
        case nil: nil
        }
        guard let planned else {
            let wanted = differences(expected: expected, got: TargetSnapshot()).map { "\($0.field) \($0.expected)" }
            return "expected change \(wanted.joined(separator: ", ")), got \(describe(decision)), which plans no change"
        }
        let wrong = differences(expected: expected, got: planned.applied(to: TargetSnapshot()))
        guard !wrong.isEmpty else { return nil }
        return "expected change \(wrong.map { "\($0.field) \($0.expected)" }.joined(separator: ", ")), got \(planned.summary)"
    }

    /// The fields set in `expected` that `got` does not match, with both values as printed.
    private static func differences(expected: TargetSnapshot, got: TargetSnapshot) -> [(field: String, expected: String, got: String)] {
        let fields: [(String, Int?, Int?)] = [
            ("desired_count", expected.desiredCount, got.desiredCount), ("revision", expected.revision, got.revision),
            ("read_capacity", expected.readCapacity, got.readCapacity), ("write_capacity", expected.writeCapacity, got.writeCapacity),
            ("scaling_min", expected.scalingMin, got.scalingMin), ("scaling_max", expected.scalingMax, got.scalingMax),
        ]
        var found = fields.compactMap { name, want, have -> (field: String, expected: String, got: String)? in
            guard let want, want != have else { return nil }
            return (name, String(want), have.map(String.init) ?? "unknown")
        }
        if let want = expected.onDemand, want != (got.onDemand ?? false) {
            found.append(("on_demand", String(want), String(got.onDemand ?? false)))
        }
        return found
    }
}
