import Foundation
import ReflexCore
import Testing

/// What reading the policies' metrics costs: the floor (each distinct series once per period),
/// and alarms instead.
struct MetricsCostTests {
    func query(_ metric: String, period: Int = 60, table: String? = nil) -> MetricQuery {
        MetricQuery(namespace: "Test", metric: metric, dimensions: table.map { [.init(name: "TableName", value: $0)] } ?? [],
                    stat: Statistic("Sum")!, period: TimeSpan(seconds: period))
    }

    func policy(_ name: String, _ queries: [MetricQuery], target: Target = .ecsService(cluster: "c", service: "s"),
                selector: TargetSelector? = nil) -> Policy {
        let names = queries.indices.map { "m\($0)" }
        return Policy(name: name, metrics: zip(names, queries).map { NamedMetric(name: $0, query: $1) },
                      condition: try! ExpressionParser.parseCondition("m0 > 1", metrics: Set(names), period: queries[0].period),
                      period: queries[0].period, target: selector?.templateTarget ?? target, selector: selector)
    }

    @Test func aSeriesIsRequestedOncePerPeriodAndASharedOneCountsOnceInTheTotal() {
        let errors = query("Errors"), requests = query("Requests"), memory = query("Memory", period: 300)
        let policies = [policy("rollback", [errors, requests]), policy("alert", [errors]), policy("leak", [memory])]
        let cost = MetricsCost(policies: policies, instances: policies)
        #expect(cost.policies.map(\.name) == ["rollback", "alert", "leak"])
        #expect(cost.policies.map(\.series) == [2, 1, 1])
        #expect(cost.policies.map(\.metricsPerMonth) == [86_400, 43_200, 8_640])
        #expect(cost.policies.map(\.periods) == [[.minutes(1)], [.minutes(1)], [.minutes(5)]])
        #expect(cost.total.series == 3)
        #expect(cost.total.periods == [.minutes(1), .minutes(5)])
        #expect(cost.total.metricsPerMonth == 95_040)
        #expect(abs(cost.total.usdPerMonth - 0.9504) < 1e-9)
        #expect(abs(cost.policies[2].usdPerMonth - 0.0864) < 1e-9)
        #expect(abs(cost.alarmsUSDPerMonth - 0.30) < 1e-9)
    }

    @Test func aFleetCountsEveryInstanceDiscoveryFound() {
        let selector = TargetSelector(kind: .dynamoDBTable, tags: ["team": "cart"])
        let fleet = policy("tables", [query("Throttles", table: "${table}")], selector: selector)
        let instances = ["a", "b", "c"].compactMap { fleet.instance(for: FleetMember(target: .dynamoDBTable(name: $0), tags: ["team": "cart"])) }
        // Another policy reads table a's throttles too: shared with the fleet's instance on a.
        let single = policy("a-only", [query("Throttles", table: "a")], target: .dynamoDBTable(name: "a"))
        let cost = MetricsCost(policies: [fleet, single], instances: instances + [single])
        #expect(cost.policies.map(\.instances) == [3, 1])
        #expect(cost.policies.map(\.series) == [3, 1])
        #expect(cost.total.series == 3)
        #expect(cost.total.metricsPerMonth == 129_600)
    }

    @Test func alarmsOnSubMinutePeriodsAreHighResolution() {
        let policies = [policy("fine", [query("A", period: 10), query("B", period: 10)]), policy("coarse", [query("C", period: 3600)])]
        let cost = MetricsCost(policies: policies, instances: policies)
        #expect(abs(cost.alarmsUSDPerMonth - 0.70) < 1e-9)
        #expect(cost.total.metricsPerMonth == 2 * 259_200 + 720)
    }

    @Test func aFleetWithNoInstanceCostsNothing() {
        let selector = TargetSelector(kind: .dynamoDBTable, tags: ["team": "none"])
        let fleet = policy("empty", [query("Throttles", table: "${table}")], selector: selector)
        let cost = MetricsCost(policies: [fleet], instances: [])
        #expect(cost.policies.map(\.series) == [0])
        #expect(cost.total.metricsPerMonth == 0 && cost.alarmsUSDPerMonth == 0)
    }
}
