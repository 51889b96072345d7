import ReflexCore
import Testing

/// Accounts and regions in the model: target ids that name them when they are not the
/// daemon's, instances per scope, and series that differ by scope.
struct ScopeModelTests {
    static let prod = Scope(accountID: "111111111111", region: "eu-west-1")

    @Test(arguments: [
        (Target.dynamoDBTable(name: "cart"), "dynamodb:cart"),
        (.dynamoDBTable(name: "cart", scope: prod), "dynamodb:111111111111/eu-west-1/cart"),
        (.dynamoDBTable(name: "cart", scope: Scope(region: "eu-west-1")), "dynamodb:eu-west-1/cart"),
        (.dynamoDBTable(name: "cart", scope: Scope(accountID: "222222222222")), "dynamodb:222222222222/cart"),
        // A table or cluster whose name is twelve digits is still a name where a name is due.
        (.dynamoDBTable(name: "123456789012"), "dynamodb:123456789012"),
        (.ecsService(cluster: "123456789012", service: "cart"), "ecs:123456789012/cart"),
        (.ecsService(cluster: "ecommerce", service: "cart-service"), "ecs:ecommerce/cart-service"),
        (.ecsService(cluster: "ecommerce", service: "cart-service", scope: prod), "ecs:111111111111/eu-west-1/ecommerce/cart-service"),
        (.ecsService(cluster: "ecommerce", service: "cart", scope: Scope(accountID: "222222222222")), "ecs:222222222222/ecommerce/cart"),
    ])
    func targetIDsNameAForeignAccountAndRegionAndReadBack(target: Target, id: String) {
        #expect(target.id == id)
        #expect(Target(id: id) == target)
    }

    @Test(arguments: ["dynamodb:", "dynamodb:a/b/c/d", "dynamodb:us-east-1/111111111111/cart", "dynamodb:111111111111/222222222222/cart",
                      "ecs:cluster", "ecs:a//b", "ecs:1/2/3/4/5", "s3:bucket"])
    func malformedIDsAreNoTarget(id: String) {
        #expect(Target(id: id) == nil)
    }

    static func policy(scopes: [Scope], selector: TargetSelector? = nil) -> Policy {
        let query = MetricQuery(namespace: "AWS/DynamoDB", metric: "ThrottledRequests",
                                dimensions: [.init(name: "TableName", value: selector == nil ? "cart" : "${table}")], stat: Statistic("Sum")!, period: .minutes(1))
        return Policy(name: "throttling", metrics: [NamedMetric(name: "t", query: query)], condition: .metric("t"), period: .minutes(1),
                      target: selector?.templateTarget ?? .dynamoDBTable(name: "cart"), scopes: scopes, selector: selector)
    }

    @Test func aPolicyOverOneTableInTwoAccountsIsTwoInstancesReadingTwoSeries() {
        let staging = Scope(accountID: "222222222222")
        let policy = Self.policy(scopes: [Self.prod, staging])
        #expect(policy.hasManyInstances)
        let instances = FleetRoster().instances(of: [policy]).instances
        #expect(instances.map(\.target.id) == ["dynamodb:111111111111/eu-west-1/cart", "dynamodb:222222222222/cart"])
        #expect(instances.map(\.instanceKey) == ["throttling dynamodb:111111111111/eu-west-1/cart", "throttling dynamodb:222222222222/cart"])
        let queries = instances.map { $0.metrics[0].query }
        #expect(queries.map(\.scope) == [Self.prod, staging])
        // The same metric in two accounts is two series: fetched and kept apart.
        #expect(Set(queries).count == 2)
        #expect(MetricsWindow(policies: instances, at: .now).queries.count == 2)
    }

    @Test func aPolicyInOneScopeKeepsItsNameAsItsKey() {
        let instances = FleetRoster().instances(of: [Self.policy(scopes: [Self.prod])]).instances
        #expect(instances.map(\.instanceKey) == ["throttling"])
        #expect(instances.map(\.target.id) == ["dynamodb:111111111111/eu-west-1/cart"])
        #expect(FleetRoster().instances(of: [Self.policy(scopes: [.home])]).instances.map(\.target.id) == ["dynamodb:cart"])
    }

    @Test func aFleetIsDiscoveredInEachScopeAndItsMembersReadTheirOwnAccount() {
        let selector = TargetSelector(kind: .dynamoDBTable, name: Glob("cart*"))
        let staging = Scope(accountID: "222222222222")
        let policy = Self.policy(scopes: [Self.prod, staging], selector: selector)
        let selectors = FleetRoster.selectors(of: [policy])
        #expect(Set(selectors.keys) == [selector.scoped(Self.prod), selector.scoped(staging)])
        var roster = FleetRoster()
        let cart = FleetMember(target: .dynamoDBTable(name: "cart"))
        // Each scope's discovery finds its own members; a member of another scope is not taken.
        _ = roster.apply([selector.scoped(Self.prod): .success([cart.scoped(Self.prod), cart.scoped(staging)]),
                          selector.scoped(staging): .success([cart.scoped(staging)])])
        let instances = roster.instances(of: [policy]).instances
        #expect(instances.map(\.target.id) == ["dynamodb:111111111111/eu-west-1/cart", "dynamodb:222222222222/cart"])
        #expect(instances.map { $0.metrics[0].query.scope } == [Self.prod, staging])
        #expect(instances.map { $0.metrics[0].query.dimensions[0].value } == ["cart", "cart"])
    }

    @Test func aProbeIsSentFromHereWhateverTheScope() {
        let probe = MetricQuery(source: .httpProbe(.init(url: "http://10.0.0.1/ready", expectStatus: 200, timeout: TimeSpan(seconds: 2), every: TimeSpan(seconds: 10))),
                                period: .minutes(1))
        #expect(probe.scoped(Self.prod).scope == .home)
    }
}
