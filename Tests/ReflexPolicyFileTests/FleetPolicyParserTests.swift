import ReflexCore
import ReflexPolicyFile
import Testing

/// Fleet targets: selectors, template variables checked at their column, per-target budgets.
struct FleetPolicyParserTests {
    static func fleet(_ target: String, dimension: String = "${table}", extra: String = "") -> String {
        """
        policies:
          - name: p
            metrics:
              throttles: { namespace: AWS/DynamoDB, metric: ThrottledRequests, dimensions: { TableName: "\(dimension)" }, stat: Sum, period: 1m }
            condition: throttles > 1
            target: \(target)
        \(extra)
        """
    }

    @Test func readsATableSelectorAndResolvesItsInstances() throws {
        let parsed = PolicyParser.parse(Self.fleet("{ dynamodb_table: { tags: { team: cart }, name: \"cart-*\", exclude: [cart-legacy] } }",
                                                   extra: "    guardrails: { max_actions: 2 per 1h, max_actions_per_target: 1 per 6h }"),
                                        file: "p.yaml")
        #expect(parsed.errors.isEmpty, "\(parsed.errors)")
        let policy = try #require(parsed.policies.first?.policy)
        let selector = try #require(policy.selector)
        #expect(selector == TargetSelector(kind: .dynamoDBTable, tags: ["team": "cart"], name: Glob("cart-*"), exclude: ["cart-legacy"]))
        #expect(policy.target.id == "dynamodb:${table}")
        #expect(policy.guardrails.maxActionsPerTarget == Budget(count: 1, window: .hours(6)))
        #expect(policy.templateVariables == ["table"])
        let instance = try #require(policy.instance(for: FleetMember(target: .dynamoDBTable(name: "cart-orders"))))
        #expect(instance.target == .dynamoDBTable(name: "cart-orders"))
        #expect(instance.metrics[0].query.dimensions == [MetricQuery.Dimension(name: "TableName", value: "cart-orders")])
        #expect(instance.instanceKey == "p dynamodb:cart-orders")
    }

    @Test func readsAServiceSelectorWithLoadBalancerVariables() throws {
        let parsed = PolicyParser.parse(Self.fleet("{ ecs_service: { cluster: ecommerce, tags: { tier: web }, name: \"*-service\" } }",
                                                   dimension: "${target_group}"), file: "p.yaml")
        let policy = try #require(parsed.policies.first?.policy, "\(parsed.errors)")
        #expect(policy.selector?.cluster == "ecommerce")
        #expect(policy.target.id == "ecs:ecommerce/${service}")
        let behind = FleetMember(target: .ecsService(cluster: "ecommerce", service: "cart-service"),
                                 extra: ["target_group": "targetgroup/cart/0123", "load_balancer": "app/shop/4567"])
        #expect(policy.instance(for: behind)?.metrics[0].query.dimensions[0].value == "targetgroup/cart/0123")
        // A service with no target group cannot be judged by a policy that reads one.
        #expect(policy.instance(for: FleetMember(target: .ecsService(cluster: "ecommerce", service: "worker-service"))) == nil)
    }

    @Test func aPlainTableNameIsStillOneTable() throws {
        let parsed = PolicyParser.parse(Self.fleet("{ dynamodb_table: { name: cart } }", dimension: "cart"), file: "p.yaml")
        let policy = try #require(parsed.policies.first?.policy, "\(parsed.errors)")
        #expect(policy.selector == nil)
        #expect(policy.instanceKey == "p")
        #expect(policy.target == .dynamoDBTable(name: "cart"))
    }

    @Test(arguments: [
        // (target, dimension value, expected "line:col", expected message fragment)
        ("{ dynamodb_table: { name: \"cart-*\" } }", "x-${tabel}", "4:100", "unknown variable '${tabel}' for this target; it has ${table}; did you mean '${table}'?"),
        ("{ dynamodb_table: { tags: { team: cart } } }", "${service}", "4:98", "unknown variable '${service}'"),
        ("{ dynamodb_table: { name: cart } }", "${table}", "4:98", "'${table}' needs a fleet target"),
        ("{ ecs_service: { cluster: c, service: s, tags: { a: b } } }", "v", "6:54", "either 'service' (one service) or a selector"),
        ("{ ecs_service: { cluster: c } }", "v", "6:28", "'ecs_service' needs 'service' (one service) or a selector"),
        ("{ dynamodb_table: { exclude: [a] } }", "v", "6:31", "needs 'name' (a table, or a glob) and/or 'tags'"),
        ("{ dynamodb_table: { tags: [team] } }", "v", "6:39", "'tags' must map tag keys to values"),
    ])
    func refusesBadSelectorsAndVariablesAtTheirPosition(target: String, dimension: String, position: String, message: String) {
        PolicyParserTests.expectRefused(Self.fleet(target, dimension: dimension), at: position, saying: message)
    }
}
