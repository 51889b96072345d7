import ReflexCore
import ReflexPolicyFile
import Testing

/// A policy's fields are read each on its own: every mistake is reported, and a mistake in
/// one field is not reported again as the errors it causes in the fields that depend on it.
struct AllErrorsTests {
    static func errors(_ yaml: String) -> [String] {
        PolicyParser.parse(yaml, file: "p.yaml").errors.map { "\($0.line):\($0.column): \($0.message)" }
    }

    @Test func independentFieldsEachReportTheirError() {
        #expect(Self.errors(PolicyParserTests.minimal("    mode: on\n    settle: soon\n    notify: oncall")) == [
            "7:11: 'mode' must be one of dry-run, approve, enforce, found 'on'",
            "8:13: 'settle' must be a duration such as 90s, 5m, 1h or 1d, found 'soon'",
            "9:13: 'notify' must be a list such as [a, b]",
        ])
    }

    @Test func aBadTargetIsNotReportedAgainByTheActionOrTheGates() {
        let yaml = PolicyParserTests.minimal("    action: { ecs_scale: { by: 2 } }\n    when: { deployed_within: 5m }",
                                             target: "target: { lambda: { name: f } }")
        #expect(Self.errors(yaml) == ["6:15: unknown key 'lambda' in 'target'; expected one of ecs_service, dynamodb_table"])
    }

    @Test func metricsThatAreNotAMappingLeaveTheConditionUnchecked() {
        let yaml = "policies:\n  - name: p\n    metrics: errors\n    condition: errors > 1\n    for: 3m\n    target: { ecs_service: { cluster: c, service: s } }"
        #expect(Self.errors(yaml) == ["3:14: 'metrics' must map names to CloudWatch queries, e.g. errors: { namespace: ..., metric: ... }"])
    }

    @Test func aMissingRequiredKeyIsReportedBesideTheOtherErrors() {
        let yaml = "policies:\n  - name: p\n    metrics: { e: { namespace: N, metric: M, stat: Sum, period: 1m } }\n    condition: e >"
        #expect(Self.errors(yaml) == ["2:5: a policy needs 'target'", "4:19: in 'condition': the expression ends where a value was expected"])
    }

    @Test func theWorkedExampleStillReadsWithoutErrors() {
        #expect(Self.errors(PolicyParserTests.designExample).isEmpty)
    }
}
