import ReflexCore
import ReflexPolicyFile
import Testing

/// The series and facts of a test are checked against the policies under test, the test's own
/// against the policies over one target, the instances' against the fleets; and a policy file
/// read as a test file is named as such.
struct TestFileNamesTests {
    typealias Fixtures = FleetPolicyTestFileTests

    @Test func anInstanceSeriesIsCheckedAgainstTheFleetsMetrics() {
        let refusal = Fixtures.refusal("""
        policy_files: [p.yaml]
        tests:
          - name: misspelt
            instances: [{ name: cart-carts, tags: { team: cart }, series: { tt: "50x5" } }]
            expect: []
        """, against: Fixtures.fleet)
        #expect(refusal.split(separator: "\n") == [
            "t.test.yaml:4:69: series 'tt' is not a metric of policy 'tables'; did you mean 't'? Its metrics are t",
        ])
    }

    @Test func aFactOfTheOtherTargetKindIsRefusedWithTheRightOnes() {
        let refusal = Fixtures.refusal("""
        policy_files: [p.yaml]
        tests:
          - name: a table has no revision
            series: { t: "50x5" }
            facts: { revision: 3 }
            expect: []
        """, against: Fixtures.single)
        #expect(refusal == "t.test.yaml:5:14: fact 'revision' does not describe the target of policy 'one-table' (dynamodb_table); "
            + "its facts are read_capacity, write_capacity, on_demand")
    }

    @Test func theTestsOwnSeriesAreNotCheckedAgainstFleets() {
        // Refused once, for giving a fleet test its own series, not again for the name.
        let refusal = Fixtures.refusal("""
        policy_files: [p.yaml]
        tests:
          - name: own series
            series: { nothing: "1" }
            instances: [{ name: cart-carts, tags: { team: cart }, series: { t: "50x5" } }]
            expect: []
        """, against: Fixtures.fleet)
        #expect(refusal == "t.test.yaml:4:5: the test's own 'series' is for policies over one target, and every policy under test is a "
            + "fleet policy; give each instance its own 'series'")
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
