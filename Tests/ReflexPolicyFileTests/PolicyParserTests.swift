import ReflexCore
import ReflexPolicyFile
import Testing

struct PolicyParserTests {
    /// The policy from the design's section 2, word for word.
    static let designExample = """
    policies:
      - name: cart-rollback-on-5xx-after-deploy   # unique across all files, [a-z0-9-]+
        description: Roll back cart-service when over 1% of requests fail soon after a deploy.
        runbook: cart-service runbook, "High Error Rate"   # free text, copied into the audit log
        mode: enforce              # dry-run (the default) | enforce
        metrics:                   # named CloudWatch queries
          errors:   { namespace: AWS/ApplicationELB, metric: HTTPCode_Target_5XX_Count,
                      dimensions: { LoadBalancer: app/cart-alb/50dc6c495c0c9188 }, stat: Sum, period: 1m }
          requests: { namespace: AWS/ApplicationELB, metric: RequestCount,
                      dimensions: { LoadBalancer: app/cart-alb/50dc6c495c0c9188 }, stat: Sum, period: 1m }
        condition: errors / requests > 0.01
        resolve: errors / requests < 0.005     # optional hysteresis; default: condition is false
        for: 3m                    # or `datapoints: 3 of 5` (M of the last N periods)
        missing_data: not-breaching  # missing (default) | ignore | breaching | not-breaching
        when:
          deployed_within: 30m     # gate on the target's newest ECS deployment age
        target:
          ecs_service: { cluster: ecommerce, service: cart-service }
        action:
          ecs_rollback: { to: last-known-good }
        guardrails:
          cooldown: 1h
          max_actions: 2 per 24h
        notify: [oncall]           # receivers named in the daemon config
    """

    @Test func readsTheDesignExample() throws {
        let parsed = PolicyParser.parse(Self.designExample, file: "design.yaml")
        #expect(parsed.errors.isEmpty, "\(parsed.errors)")
        let policy = try #require(parsed.policies.first?.policy)
        #expect(policy.name == "cart-rollback-on-5xx-after-deploy")
        #expect(policy.mode == .enforce)
        #expect(policy.runbook == "cart-service runbook, \"High Error Rate\"")
        #expect(policy.metrics.map(\.name) == ["errors", "requests"])
        let errors = policy.metrics[0].query
        #expect(errors.namespace == "AWS/ApplicationELB")
        #expect(errors.metric == "HTTPCode_Target_5XX_Count")
        #expect(errors.dimensions == [MetricQuery.Dimension(name: "LoadBalancer", value: "app/cart-alb/50dc6c495c0c9188")])
        #expect(errors.stat == Statistic("Sum"))
        #expect(policy.period == .minutes(1))
        #expect(policy.settleDelay == .minutes(1))
        #expect(policy.condition == .binary(.greater, .binary(.divide, .metric("errors"), .metric("requests")), .number(0.01)))
        #expect(policy.resolve != nil)
        #expect(policy.window == BreachWindow(required: 3, of: 3))
        #expect(policy.missingData == .notBreaching)
        #expect(policy.gates == [.deployedWithin(.minutes(30))])
        #expect(policy.target == .ecsService(cluster: "ecommerce", service: "cart-service"))
        #expect(policy.action == .ecsRollback(.lastKnownGood, waitStable: nil))
        #expect(policy.guardrails == Guardrails(cooldown: .hours(1), maxActions: Budget(count: 2, window: .hours(24))))
        #expect(policy.notify == ["oncall"])
        #expect(parsed.policies.first?.line == 2)
        #expect(parsed.policies.first?.text.contains("max_actions: 2 per 24h") == true)
    }

    @Test func defaultsToDryRunOneOfOneAndMissing() throws {
        let parsed = PolicyParser.parse(Self.minimal(""), file: "p.yaml")
        let policy = try #require(parsed.policies.first?.policy, "\(parsed.errors)")
        #expect(policy.mode == .dryRun)
        #expect(policy.window == BreachWindow(required: 1, of: 1))
        #expect(policy.missingData == .missing)
        #expect(policy.action == nil)
    }

    @Test(arguments: [
        ("action:\n      ecs_scale: { by: +2, min: 3, max: 20 }", Action.ecsScale(.by(2), bounds: CountBounds(min: 3, max: 20))),
        ("action:\n      ecs_scale: { factor: 1.5 }", .ecsScale(.factor(1.5), bounds: CountBounds(min: nil, max: nil))),
        ("action:\n      ecs_scale: { to: 10, max: 10 }", .ecsScale(.to(10), bounds: CountBounds(min: nil, max: 10))),
        ("action:\n      ecs_redeploy: {}", .ecsRedeploy),
        ("action:\n      ecs_redeploy:", .ecsRedeploy),
        ("action:\n      ecs_rollback: { to: previous-revision, wait_stable: 10m }", .ecsRollback(.previousRevision, waitStable: .minutes(10))),
        ("action:\n      autoscaling_bounds: { min: 3, max: 20 }", .autoscalingBounds(CountBounds(min: 3, max: 20))),
    ])
    func readsEveryEcsAction(yaml: String, expected: Action) throws {
        let parsed = PolicyParser.parse(Self.minimal("    " + yaml), file: "p.yaml")
        #expect(parsed.policies.first?.policy.action == expected, "\(parsed.errors)")
    }

    @Test func readsTableActions() throws {
        let table = "target: { dynamodb_table: { name: t } }"
        let capacity = PolicyParser.parse(Self.minimal("""
            action:
              dynamodb_capacity: { read: { factor: 2, max: 200 }, write: { to: 100 } }
        """, target: table), file: "p.yaml")
        #expect(capacity.policies.first?.policy.action == .dynamoDBCapacity(
            read: CapacityChange(amount: .factor(2), max: 200), write: CapacityChange(amount: .to(100), max: nil)), "\(capacity.errors)")
        let onDemand = PolicyParser.parse(Self.minimal("    action: { dynamodb_on_demand: {} }", target: table), file: "p.yaml")
        #expect(onDemand.policies.first?.policy.action == .dynamoDBOnDemand, "\(onDemand.errors)")
    }

    /// A valid policy with `extra` lines appended.
    /// Expects `yaml` (as `p.yaml`) to yield no policy and, among its errors, one at `position`
    /// (`line:column`) whose message contains `message`; returns that error.
    @discardableResult
    static func expectRefused(_ yaml: String, at position: String, saying message: String,
                              sourceLocation: SourceLocation = #_sourceLocation) -> PolicyFileError? {
        let parsed = PolicyParser.parse(yaml, file: "p.yaml")
        #expect(parsed.policies.isEmpty, sourceLocation: sourceLocation)
        let error = parsed.errors.first { "\($0.line):\($0.column)" == position } ?? parsed.errors.first
        #expect(error.map { "\($0.line):\($0.column)" } == position, "\(String(describing: error))", sourceLocation: sourceLocation)
        #expect(error?.message.contains(message) == true, "\(String(describing: error))", sourceLocation: sourceLocation)
        return error
    }

    static func minimal(_ extra: String, target: String = "target: { ecs_service: { cluster: c, service: s } }") -> String {
        """
        policies:
          - name: p
            metrics:
              errors: { namespace: N, metric: M, stat: Sum, period: 1m }
            condition: errors > 1
            \(target)
        \(extra)
        """
    }

    @Test(arguments: [
        // (extra lines, expected "line:col", expected message fragment)
        ("    fo: 3m", "7:5", "unknown key 'fo' in a policy; did you mean 'for'?"),
        ("    for: 3x", "7:10", "must be a duration"),
        ("    for: 90s", "7:10", "not a whole number of periods"),
        ("    for: 3m\n    datapoints: 3 of 5", "8:5", "either 'for' or 'datapoints'"),
        ("    datapoints: 6 of 5", "7:17", "1 <= M <= N"),
        ("    mode: enforced", "7:11", "did you mean 'enforce'?"),
        ("    missing_data: zero", "7:19", "must be one of missing, ignore, breaching, not-breaching"),
        ("    guardrails: { max_actions: 2 each 1h }", "7:32", "'N per D'"),
        ("    guardrails: { cooldown: soon }", "7:29", "must be a duration"),
        ("    action: { ecs_scale: { by: 2, min: 5, max: 3 } }", "7:40", "'min: 5' is greater than 'max: 3'"),
        ("    action: { ecs_scale: { by: 2, to: 3 } }", "7:26", "exactly one of by, to or factor"),
        ("    action: { dynamodb_capacity: { read: { factor: 2 } } }", "7:15",
         "action 'dynamodb_capacity' does not fit an ecs_service target (it acts on a dynamodb_table); "
            + "the actions for an ecs_service target are ecs_rollback, ecs_scale, ecs_redeploy, autoscaling_bounds"),
        ("    action: { ecs_rollback: { to: last-good } }", "7:35", "must be one of last-known-good, previous-revision"),
        ("    action: { ecs_redeploy: { now: true } }", "7:31", "unknown key 'now'"),
        ("    action: { ecs_scale: { factor: 1000 } }", "7:36", "at most 100"),
        ("    when: { deployed_within: 30 }", "7:30", "must be a duration"),
        ("    notify: oncall", "7:13", "must be a list"),
        ("    resolve: errors <", "7:22", "in 'resolve': the expression ends"),
        ("    description: [a, b]", "7:18", "must be a single value"),
    ])
    func reportsErrorsAtTheirLineAndColumn(extra: String, position: String, message: String) {
        let error = Self.expectRefused(Self.minimal(extra), at: position, saying: message)
        #expect(error?.policy == "p")
        #expect(error?.description.hasPrefix("p.yaml:\(position): policy 'p': ") == true)
    }

    @Test(arguments: [
        ("policies:\n  - name: p\n    condition: [unclosed", "3:16", "the '[' here is not closed: end its entries with ']'"),
        ("policy:\n  - name: p", "1:1", "unknown key 'policy' in a policy file; did you mean 'policies'?"),
        ("", "1:1", "the file is empty"),
        ("policies: 3", "1:11", "'policies' must be a list"),
        ("policies:\n  - name: Cart_Policy", "2:11", "must use only a-z, 0-9 and '-'"),
        ("policies:\n  - name: p\n    metrics: {}", "3:14", "'metrics' must map names"),
        ("policies:\n  - name: p\n    metrics: { and: { namespace: N, metric: M, stat: Sum, period: 1m } }", "3:16", "a word of the expression language"),
        ("policies:\n  - name: p\n    metrics: { e: { namespace: N, metric: M, stat: Summ, period: 1m } }", "3:52", "not a CloudWatch statistic"),
        ("policies:\n  - name: p\n    metrics: { e: { namespace: N, metric: M, stat: Sum, period: 45s } }", "3:65", "10s, 30s or a multiple of 60s"),
        ("policies:\n  - name: p\n    metrics: { e: { namespace: N, metric: M, stat: Sum, period: 1m }, f: { namespace: N, metric: M, stat: Sum, period: 5m } }",
         "3:74", "all metrics of a policy share one period"),
        ("policies:\n  - name: p\n    metrics: { e: { namespace: N, metric: M, stat: Sum, period: 1m } }\n    condition: \"e > 1 and f > 2\"\n    target: { ecs_service: { cluster: c, service: s } }",
         "4:27", "unknown metric 'f'"),
        ("policies:\n  - name: p\n    metrics: { e: { namespace: N, metric: M, stat: Sum, period: 1m } }\n    condition: e > 1\n    target: { lambda: { name: x } }",
         "5:15", "unknown key 'lambda'"),
        ("policies:\n  - name: p\n    metrics: { e: { namespace: N, metric: M, stat: Sum, period: 1m } }\n    condition: e > 1\n    target: { dynamodb_table: { name: t } }\n    when: { deployed_within: 5m }",
         "6:11", "need an ecs_service target"),
        ("policies:\n  - name: p\n  - name: p\n    x: 1\n    x: 2", "4:5", "duplicate key"),
    ])
    func reportsFileLevelErrors(yaml: String, position: String, message: String) {
        Self.expectRefused(yaml, at: position, saying: message)
    }

    @Test func oneBadPolicyDoesNotHideTheNext() {
        let yaml = """
        policies:
          - name: a
            metrics: { e: { namespace: N, metric: M, stat: Sum, period: 1m } }
            condition: e >
            target: { ecs_service: { cluster: c, service: s } }
          - name: b
            metrics: { e: { namespace: N, metric: M, stat: Sum, period: 1m } }
            condition: e > 1
            target: { ecs_service: { cluster: c, service: s } }
          - name: c
            metrics: { e: { namespace: N, metric: M, stat: Sum, period: 1m } }
            condition: x > 1
            target: { ecs_service: { cluster: c, service: s } }
        """
        let parsed = PolicyParser.parse(yaml, file: "f.yaml")
        #expect(parsed.policies.map(\.policy.name) == ["b"])
        #expect(parsed.errors.map(\.policy) == ["a", "c"])
        #expect(parsed.errors.map(\.line) == [4, 12])
    }
}
