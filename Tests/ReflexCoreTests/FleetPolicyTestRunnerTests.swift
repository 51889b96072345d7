import Foundation
import ReflexCore
import Testing

/// Policy tests of fleet policies: each instance judged on its own series and facts, the
/// selector deciding which instances exist, and budgets counted as the daemon counts them.
struct FleetPolicyTestRunnerTests {
    static let web = TargetSelector(kind: .ecsService, cluster: "shop", tags: ["tier": "web"], name: Glob("*-service"),
                                    exclude: ["legacy-service"])

    /// A fleet policy over `selector`: metric `a` with one dimension, fires on one minute above 10.
    static func fleet(_ guardrails: Guardrails = Guardrails(), action: Action = .ecsRedeploy, gates: [DeploymentGate] = [],
                      dimension: String = "${service}", name: String = "web") -> Policy {
        let query = MetricQuery(namespace: "Test", metric: "A", dimensions: [MetricQuery.Dimension(name: "D", value: dimension)],
                                stat: Statistic("Sum")!, period: Fixtures.minute)
        return Policy(name: name, mode: .enforce, metrics: [NamedMetric(name: "a", query: query)],
                      condition: try! ExpressionParser.parseCondition("a > 10", metrics: ["a"], period: Fixtures.minute),
                      period: Fixtures.minute, gates: gates, target: web.templateTarget, selector: web, action: action,
                      guardrails: guardrails)
    }

    static func instance(_ name: String, tags: [String: String] = ["tier": "web"], values: [Double?] = Array(repeating: 50, count: 10),
                         variables: [String: String] = [:], deployedAt: TimeSpan? = nil,
                         snapshot: TargetSnapshot = TargetSnapshot()) -> PolicyTestInstance {
        PolicyTestInstance(name: name, tags: tags, variables: variables, series: ["a": values], deployedAt: deployedAt,
                           snapshot: snapshot, line: 1)
    }

    static func expect(_ minutes: Int, _ instance: String?, policy: String? = nil, evaluated: Bool? = nil, state: PolicyStatus? = nil,
                       action: PolicyExpectation.Outcome? = nil, heldBy: String? = nil, actionsSoFar: Int? = nil,
                       target: TargetSnapshot? = nil, line: Int = 10) -> PolicyExpectation {
        PolicyExpectation(at: .minutes(minutes), policy: policy, instance: instance, evaluated: evaluated, state: state, outcome: action,
                          heldBy: heldBy, actionsSoFar: actionsSoFar, target: target, line: line)
    }

    static func run(_ policies: [Policy], _ instances: [PolicyTestInstance], series: [String: [Double?]] = [:],
                    _ expectations: [PolicyExpectation]) -> [PolicyTestRunner.Failure] {
        PolicyTestRunner.run(PolicyTestCase(name: "t", start: Fixtures.start, step: nil, series: series, deployedAt: nil,
                                            snapshot: TargetSnapshot(), instances: instances, safeMode: false, globalBudget: nil,
                                            expectations: expectations),
                             policies: policies)
    }

    @Test func theFleetBudgetCountsEveryInstance() {
        let policy = Self.fleet(Guardrails(maxActions: Budget(count: 2, window: .hours(1))))
        let instances = ["a-service", "b-service", "c-service"].map { Self.instance($0) }
        let failures = Self.run([policy], instances, [
            Self.expect(2, "a-service", state: .firing, action: .executed),
            Self.expect(2, "b-service", state: .firing, action: .executed),
            Self.expect(2, "c-service", state: .firing, action: .held, heldBy: "policy-budget", actionsSoFar: 0),
        ])
        #expect(failures.isEmpty, "\(failures)")
        // Were the budget counted per instance, the third would act too.
        let wrong = Self.run([policy], instances, [Self.expect(2, "c-service", action: .executed, line: 42)])
        #expect(wrong.map(\.line) == [42])
        #expect(wrong.map(\.message) == ["at 2m: policy 'web' instance 'c-service': expected action executed, got held by policy-budget "
            + "(policy budget of 2 per 1h spent)"])
    }

    @Test func thePerTargetBudgetCountsEachInstanceAlone() {
        let policy = Self.fleet(Guardrails(maxActionsPerTarget: Budget(count: 1, window: .hours(1))))
        let failures = Self.run([policy], [Self.instance("a-service"), Self.instance("b-service")], [
            // Counted across the fleet, the per-target budget would hold the second instance back.
            Self.expect(2, "a-service", action: .executed, actionsSoFar: 1),
            Self.expect(2, "b-service", action: .executed, actionsSoFar: 1),
            Self.expect(3, "a-service", state: .firing, action: .held, heldBy: "target-budget", actionsSoFar: 1),
        ])
        #expect(failures.isEmpty, "\(failures)")
    }

    @Test func eachInstanceReadsItsOwnSeries() {
        let failures = Self.run([Self.fleet()], [Self.instance("a-service"), Self.instance("b-service", values: [0, 0, 0, 0])], [
            Self.expect(2, "a-service", state: .firing, action: .executed),
            Self.expect(2, "b-service", state: .ok, action: PolicyExpectation.Outcome.none, actionsSoFar: 0),
        ])
        #expect(failures.isEmpty, "\(failures)")
    }

    @Test func eachInstanceHasItsOwnFacts() {
        let policy = Self.fleet(action: .ecsRollback(.previousRevision, waitStable: nil), gates: [.deployedWithin(.minutes(30))])
        let facts = TargetSnapshot(revision: 3, rollbackRevision: 2)
        let failures = Self.run([policy], [
            Self.instance("a-service", deployedAt: .minutes(0), snapshot: facts),
            Self.instance("b-service", deployedAt: TimeSpan(seconds: -7200), snapshot: facts),
        ], [
            Self.expect(2, "a-service", action: .executed, target: TargetSnapshot(revision: 2)),
            Self.expect(2, "b-service", action: .held, heldBy: "gate", target: TargetSnapshot(revision: 3)),
        ])
        #expect(failures.isEmpty, "\(failures)")
    }

    @Test func instancesTheSelectorLeavesOutAreNotJudged() {
        let left = [
            Self.instance("legacy-service"), Self.instance("api-service", tags: ["tier": "batch"]),
            Self.instance("worker"), Self.instance("bare-service", tags: [:]),
        ]
        let policy = Self.fleet()
        let quiet = Self.run([policy], [Self.instance("a-service")] + left,
                             [Self.expect(2, "a-service", action: .executed)] + left.map { Self.expect(2, $0.name, evaluated: false) })
        #expect(quiet.isEmpty, "\(quiet)")
        let judged = Self.run([policy], left, left.map { Self.expect(2, $0.name, state: .firing) })
        #expect(judged.map(\.message) == [
            "at 2m: policy 'web' instance 'legacy-service' is not judged: the selector excludes it",
            "at 2m: policy 'web' instance 'api-service' is not judged: its tag tier is 'batch', the selector wants 'web'",
            "at 2m: policy 'web' instance 'worker' is not judged: its name does not match '*-service'",
            "at 2m: policy 'web' instance 'bare-service' is not judged: it has no tag tier (the selector wants 'web')",
        ])
    }

    @Test func anInstanceLackingAVariableThePolicyUsesIsNotJudged() {
        let policy = Self.fleet(dimension: "${load_balancer}")
        let failures = Self.run([policy], [
            Self.instance("a-service", variables: ["load_balancer": "app/shop/1"]), Self.instance("b-service"),
        ], [
            Self.expect(2, "a-service", action: .executed),
            Self.expect(2, "b-service", evaluated: false),
            Self.expect(2, "b-service", state: .firing),
        ])
        #expect(failures.map(\.message) == [
            "at 2m: policy 'web' instance 'b-service' is not judged: it has no value for ${load_balancer}, which the policy's dimensions use",
        ])
    }

    @Test func aJudgedInstanceFailsAnExpectationOfNoEvaluation() {
        let failures = Self.run([Self.fleet()], [Self.instance("a-service")], [Self.expect(2, "a-service", evaluated: false)])
        #expect(failures.map(\.message) == ["at 2m: policy 'web' instance 'a-service': expected no evaluation, got state firing"])
    }

    @Test func theInstanceMayBeLeftOutOnlyWhenThereIsOne() {
        #expect(Self.run([Self.fleet()], [Self.instance("a-service")], [Self.expect(2, nil, action: .executed)]).isEmpty)
        let failures = Self.run([Self.fleet()], [Self.instance("a-service"), Self.instance("b-service")], [Self.expect(2, nil)])
        #expect(failures.map(\.message) == ["at 2m: policy 'web' covers a fleet: name the instance, one of a-service, b-service"])
    }

    @Test func aPolicyOverOneTargetReadsTheTestsOwnSeriesBesideAFleet() {
        let single = Fixtures.policy("a > 10", name: "single", target: .ecsService(cluster: "shop", service: "a-service"))
        let failures = Self.run([Self.fleet(), single], [Self.instance("a-service", values: [0, 0, 0, 0])],
                                series: ["a": [50, 50, 50, 50]], [
            Self.expect(2, "a-service", policy: "web", state: .ok),
            Self.expect(2, nil, policy: "single", state: .firing, action: .executed),
            Self.expect(2, "a-service", policy: "single"),
        ])
        #expect(failures.map(\.message) == ["at 2m: policy 'single' covers one target, so it has no instance 'a-service'"])
    }
}
