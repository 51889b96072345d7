import ReflexCore
import ReflexPolicyFile
import Testing

/// The series and facts of a test are checked against the policies under test, the test's own
/// against the policies over one target, the instances' against the fleets; and a policy file
/// read as a test file is named as such.
struct TestFileNamesTests {
    typealias Fixtures = FleetPolicyTestFileTests

    /// A test file with one test whose lines after its name are `body`.
    static func file(_ body: String) -> String {
        "policy_files: [p.yaml]\ntests:\n  - name: t\n" + body + "\n    expect: []"
    }

    @Test(arguments: [
        // An instance's series, against the fleet's metrics.
        ("    instances: [{ name: cart-carts, tags: { team: cart }, series: { tt: \"50x5\" } }]", Fixtures.fleet,
         "t.test.yaml:4:69: series 'tt' is not a metric of policy 'tables'; did you mean 't'? Its metrics are t"),
        // The test's own facts, against the target of the policy over one table.
        ("    series: { t: \"50x5\" }\n    facts: { revision: 3 }", Fixtures.single,
         "t.test.yaml:5:14: fact 'revision' does not describe the target of policy 'one-table' (dynamodb_table); "
            + "its facts are read_capacity, write_capacity, on_demand"),
    ])
    func aNameThePoliciesDoNotHaveIsRefused(body: String, policies: String, expected: String) {
        #expect(Fixtures.refusal(Self.file(body), against: policies) == expected)
    }

    @Test func aChangeIsReadWithTheTargetsFieldsAndNotBesideEvaluatedFalse() throws {
        let file = try PolicyTestFile.parse("""
        policy_files: [p.yaml]
        tests:
          - name: t
            expect: [{ at: 2m, action: dry-run, change: { desired_count: 6, scaling_max: 9 } }]
        """, file: "t.test.yaml")
        #expect(file.tests.first?.test.expectations.first?.change == TargetSnapshot(desiredCount: 6, scalingMax: 9))
        #expect(Fixtures.refusal("policy_files: [p.yaml]\ntests:\n  - name: t\n    expect: [{ at: 2m, change: { deployed_at: 1m } }]",
                                 against: Fixtures.single)
            == "t.test.yaml:4:34: unknown key 'deployed_at' in 'change'; expected one of desired_count, revision, scaling_min, scaling_max, "
            + "read_capacity, write_capacity, on_demand")
        #expect(Fixtures.refusal("policy_files: [p.yaml]\ntests:\n  - name: t\n    expect: [{ at: 2m, evaluated: false, change: { revision: 1 } }]",
                                 against: Fixtures.single)
            == "t.test.yaml:4:42: 'change' cannot be checked beside 'evaluated: false', which expects no evaluation")
    }

    @Test func aPolicyFileReadAsATestFileSaysSo() {
        let refusal = Fixtures.refusal(Fixtures.single, against: Fixtures.single)
        #expect(refusal == "t.test.yaml:1:1: this is a policy file ('policies:'), not a policy test file (named *.test.yaml, with "
            + "'policy_files:' and 'tests:'); write its tests in t.test.test.yaml, with 'policy_files: [t.test.yaml]' and 'tests:'")
    }
}
