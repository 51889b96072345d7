import Foundation
import ReflexCore
import ReflexPolicyFile
import Testing

/// Test files for fleet policies: `instances:` per test, `instance`/`evaluated` per
/// expectation, and the errors that only the policies under test can reveal.
struct FleetPolicyTestFileTests {
    static let fleet = """
    policies:
      - name: tables
        mode: enforce
        metrics: { t: { namespace: AWS/DynamoDB, metric: ThrottledRequests, dimensions: { TableName: "${table}" }, stat: Sum, period: 1m } }
        condition: t > 10
        target: { dynamodb_table: { tags: { team: cart }, name: "cart-*", exclude: [cart-legacy] } }
        action: { dynamodb_capacity: { read: { factor: 2 } } }
        guardrails: { max_actions: 2 per 1h }
    """

    static let single = """
    policies:
      - name: one-table
        metrics: { t: { namespace: AWS/DynamoDB, metric: ThrottledRequests, dimensions: { TableName: carts }, stat: Sum, period: 1m } }
        condition: t > 10
        target: { dynamodb_table: { name: carts } }
    """

    static func policies(_ text: String) -> [Policy] {
        let parsed = PolicyParser.parse(text, file: "p.yaml")
        precondition(parsed.errors.isEmpty, "\(parsed.errors)")
        return parsed.policies.map(\.policy)
    }

    /// The error `text` is refused with, when parsing and checking against `policies`.
    static func refusal(_ text: String, against policies: String) -> String {
        do {
            let file = try PolicyTestFile.parse(text, file: "t.test.yaml")
            return file.check(against: Self.policies(policies)).map(\.description).joined(separator: "\n")
        } catch {
            return error.description
        }
    }

    @Test func readsInstancesAndTheExpectationsThatNameThem() throws {
        let file = try PolicyTestFile.parse("""
        policy_files: [p.yaml]
        tests:
          - name: two tables
            instances:
              - name: cart-carts
                tags: { team: cart }
                series: { t: "50x2 _" }
                facts: { read_capacity: 100, write_capacity: 5, deployed_at: -1h }
              - { name: cart-legacy, tags: { team: cart } }
            expect:
              - { at: 2m, instance: cart-carts, state: firing, held_by: policy-budget }
              - { at: 2m, instance: cart-legacy, evaluated: false }
        """, file: "t.test.yaml")
        // A table has no deployments: the fact is read, and refused against a table policy.
        #expect(file.check(against: Self.policies(Self.fleet)).map(\.description) == [
            "t.test.yaml:8:57: fact 'deployed_at' does not describe the target of policy 'tables' (dynamodb_table); "
                + "its facts are read_capacity, write_capacity, on_demand",
        ])
        let test = try #require(file.tests.first?.test)
        let instances = try #require(test.instances)
        #expect(instances.map(\.name) == ["cart-carts", "cart-legacy"])
        #expect(instances[0].tags == ["team": "cart"])
        #expect(instances[0].series == ["t": [50, 50, 50, nil]])
        #expect(instances[0].snapshot == TargetSnapshot(readCapacity: 100, writeCapacity: 5))
        #expect(instances[0].deployedAt == TimeSpan(seconds: -3600))
        #expect(instances[0].line == 5)
        #expect(instances[1].series.isEmpty)
        #expect(test.expectations.map(\.instance) == ["cart-carts", "cart-legacy"])
        #expect(test.expectations.map(\.evaluated) == [nil, false])
        #expect(test.expectations[0].heldBy == "policy-budget")
    }

    @Test func aTestOfAFleetPolicyWithoutInstancesIsRefusedAtTheTest() {
        let refusal = Self.refusal("""
        policy_files: [p.yaml]
        tests:
          - name: forgot the instances
            series: { t: "50x5" }
            expect: [{ at: 2m, state: firing }]
        """, against: Self.fleet)
        #expect(refusal == "t.test.yaml:3:5: policy 'tables': test 'forgot the instances' needs 'instances:': the policy covers a fleet "
            + "(dynamodb_table{name=cart-*, tags={team=cart}, exclude=[cart-legacy]}), and is tested on the resources listed there, "
            + "each with its own 'name', 'tags', 'series' and 'facts'")
    }

    @Test func instancesForAPolicyOverOneTargetAreRefusedAtTheKey() {
        let refusal = Self.refusal("""
        policy_files: [p.yaml]
        tests:
          - name: not a fleet
            instances: [{ name: carts }]
            expect: [{ at: 2m, instance: carts, state: ok }]
        """, against: Self.single)
        #expect(refusal == "t.test.yaml:4:5: policy 'one-table': 'instances:' is for fleet policies, and every policy under test covers "
            + "one target; give the test 'series' and 'facts' instead")
    }

    /// Refused once, for its place: its name ('tt', no policy's metric) is not refused again.
    @Test func aFleetOnlyTestsOwnSeriesIsRefusedAsUnread() {
        let refusal = Self.refusal("""
        policy_files: [p.yaml]
        tests:
          - name: series in the wrong place
            series: { tt: "50x5" }
            instances: [{ name: cart-carts, tags: { team: cart } }]
            expect: [{ at: 2m, state: firing }]
        """, against: Self.fleet)
        #expect(refusal == "t.test.yaml:4:5: the test's own 'series' is for policies over one target, and every policy under test "
            + "is a fleet policy; give each instance its own 'series'")
    }

    @Test func anInstanceOnlyServicesHaveIsRefusedForTables() {
        let refusal = Self.refusal("""
        policy_files: [p.yaml]
        tests:
          - name: a table has no load balancer
            instances: [{ name: cart-carts, load_balancer: app/x/1 }]
            expect: [{ at: 2m, state: firing }]
        """, against: Self.fleet)
        #expect(refusal == "t.test.yaml:4:37: 'load_balancer' is a variable of ECS services, and no fleet policy under test covers ECS services")
    }

    @Test func anInstanceForAPolicyOverOneTargetBesideAFleetIsRefused() {
        let refusal = Self.refusal("""
        policy_files: [p.yaml]
        tests:
          - name: mixed
            instances: [{ name: cart-carts }]
            expect: [{ at: 2m, policy: one-table, instance: cart-carts }]
        """, against: Self.fleet + "\n" + Self.single.replacingOccurrences(of: "policies:\n", with: ""))
        #expect(refusal == "t.test.yaml:5:43: policy 'one-table': the policy covers one target, so its expectations name no 'instance'")
    }

    @Test(arguments: [
        // An expectation naming an instance the test does not list, with the nearest name.
        ("instances: [{ name: cart-carts }]\n    expect: [{ at: 2m, instance: cart-cart }]",
         "t.test.yaml:5:34: no instance 'cart-cart' in this test; it lists cart-carts; did you mean 'cart-carts'?"),
        ("series: { t: \"1\" }\n    expect: [{ at: 2m, instance: cart-carts }]",
         "t.test.yaml:5:24: 'instance' names one of the test's 'instances:', and this test lists none"),
        ("instances: [{ name: a }, { name: a }]\n    expect: []",
         "t.test.yaml:4:38: instance 'a' is listed twice in this test"),
        ("instances: []\n    expect: []", "t.test.yaml:4:16: 'instances' must list at least one resource"),
        ("instances: [{ name: a, tgas: {} }]\n    expect: []", "t.test.yaml:4:28: unknown key 'tgas' in an instance; did you mean 'tags'?"),
        ("instances: [{ name: a, series: { t: \"1 y\" } }]\n    expect: []",
         "t.test.yaml:4:44: 'y' is not a value, '_', 'aXn' or 'a+bXn'"),
        ("instances: [{ name: a }]\n    expect: [{ at: 2m, instance: a, evaluated: false, state: ok }]",
         "t.test.yaml:5:55: 'state' cannot be checked beside 'evaluated: false', which expects no evaluation"),
    ])
    func refusesAtThePosition(body: String, message: String) {
        let text = "policy_files: [p.yaml]\ntests:\n  - name: t\n    " + body + "\n"
        #expect(Self.refusal(text, against: Self.fleet) == message)
    }

    /// The fixture `reflex test` is tried on: every test passes, and reads as the README says.
    @Test func theFleetFixturePasses() throws {
        let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("fleet-policies").path
        let path = directory + "/cart-tables.test.yaml"
        let file = try PolicyTestFile.parse(try PolicyLoader.readText(path), file: path)
        let loaded = try PolicyLoader.load(paths: file.policyFiles)
        #expect(loaded.errors.isEmpty, "\(loaded.errors)")
        let policies = loaded.policies.map(\.policy)
        #expect(policies.map(\.isFleet) == [true])
        #expect(file.check(against: policies).isEmpty)
        #expect(file.tests.count == 3)
        for (_, test) in file.tests {
            #expect(PolicyTestRunner.run(test, policies: policies).isEmpty, "\(test.name)")
        }
    }
}
