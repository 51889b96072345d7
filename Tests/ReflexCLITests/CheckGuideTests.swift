import Foundation
import Testing

/// `reflex check` explains each kind of mistake in Reflex's words, through the real binary: every
/// error of a policy, YAML structure mistakes at their own line with the fix, unknown names
/// with the defined ones, and an action that does not fit its target.
struct CheckGuideTests {
    /// A copy of the shipped `cart-rollback.yaml` alone, edited by `edit`, checked.
    static func checkRollback(_ edit: (String) -> String) async throws -> (outcome: ReflexBinary.Outcome, file: String) {
        let directory = try ReflexBinary.copyOfPolicies { files in
            files = ["cart-rollback.yaml": edit(files["cart-rollback.yaml"]!)]
        }
        return (try await ReflexBinary.run(["check", directory]), directory + "/cart-rollback.yaml")
    }

    static let policy = "policy 'cart-rollback-on-5xx-after-deploy': "

    @Test func everyErrorOfOnePolicyIsReportedThenTheSummary() async throws {
        let (outcome, file) = try await Self.checkRollback {
            $0.replacingOccurrences(of: "mode: enforce", with: "mode: enforced")
                .replacingOccurrences(of: "condition: fill(errors, 0) / requests > 0.01", with: "condition: fill(erors, 0) / requests > 0.01")
                .replacingOccurrences(of: "for: 3m", with: "fro: 3m")
                .replacingOccurrences(of: "cooldown: 1h", with: "cooldown: 1 hour")
        }
        #expect(outcome.status == 1)
        #expect(outcome.stdout.split(separator: "\n").map(String.init) == [
            "\(file):9:11: \(Self.policy)'mode' must be one of dry-run, approve, enforce, found 'enforced'; did you mean 'enforce'?",
            "\(file):16:21: \(Self.policy)in 'condition': unknown metric 'erors'; did you mean 'errors'? This policy's metrics are errors, requests, circuit",
            "\(file):18:5: \(Self.policy)unknown key 'fro' in a policy; did you mean 'for'?",
            "\(file):28:17: \(Self.policy)'cooldown' must be a duration such as 90s, 5m, 1h or 1d, found '1 hour'",
            "4 errors in 1 of 1 file(s); 0 policies ok",
        ], "\(outcome.stdout)")
    }

    @Test func aBadMetricIsNotReportedAgainAsAnUnknownMetricInTheCondition() async throws {
        let (outcome, file) = try await Self.checkRollback {
            $0.replacingOccurrences(of: "metric: RequestCount,", with: "metric: RequestCount, stat: Summ,")
                .replacingOccurrences(of: "stat: Sum, period: 1m }\n      circuit", with: "period: 1m }\n      circuit")
        }
        #expect(outcome.status == 1)
        #expect(outcome.stdout == "\(file):13:78: \(Self.policy)'Summ' is not a CloudWatch statistic (Sum, Average, Minimum, Maximum, "
            + "SampleCount, IQM, p99, p99.9, tm90, ...)\n1 error in 1 of 1 file(s); 0 policies ok\n")
    }

    /// YAML structure mistakes, each made in the shipped file: (text replaced, replacement,
    /// the one error expected, after the file name).
    @Test(arguments: [
        ("    condition: fill", "   condition: fill",
         "16:4: 'condition' is indented 3 spaces, which lines up with no key above it; indent it 4 spaces to line up with 'metrics' on line 10"),
        ("    condition: fill", "  condition: fill",
         "16:3: 'condition' is indented 2 spaces, as the '-' of the list item on line 6, so YAML expects another '- ' item there; "
            + "indent it 4 spaces to line up with 'metrics' on line 10"),
        ("      cooldown: 1h\n      max_actions", "      cooldown: 1h\n     max_actions",
         "29:6: 'max_actions' is indented 5 spaces, which lines up with no key above it; "
            + "indent it 6 spaces to line up with 'cooldown' on line 28, or 4 spaces to line up with 'guardrails' on line 27"),
        ("    missing_data:", "      missing_data:",
         "19:7: 'missing_data' is indented 6 spaces, more than 'for' on line 18, so YAML reads it as more of the value of 'for'; "
            + "indent it 4 spaces to line up with 'for'"),
        ("      deployed_within: 30m\n      condition: sum_over(circuit, 3m) == 0", "    deployed_within: 30m",
         "21:5: \(CheckGuideTests.policy)unknown key 'deployed_within' in a policy; it looks meant for 'when' on line 20, which is empty: "
            + "indent 'deployed_within' 2 spaces more than 'when' to put it under it"),
        ("    condition: fill", "\tcondition: fill",
         "16:1: a tab in the indentation; YAML indents with spaces only: replace the tab with spaces, "
            + "as many as the key it belongs beside (4 for 'metrics' on line 10, 6 for 'circuit' on line 15)"),
        ("    for: 3m", "    for 3m", "18:5: 'for 3m' has no ':' after its key; write 'for: 3m'"),
        ("runbook: cart-service runbook,", "runbook: cart-service runbook:",
         "8:34: the value of 'runbook' holds ': ', which YAML reads as the start of another key; "
            + "put the value in quotes: runbook: 'cart-service runbook: \"High Error Rate (5xx > 1%)\" and \"Rollback Procedure\"'"),
        ("wait_stable: 10m }", "wait_stable: 10m", "26:21: the '{' here is not closed: end its entries with '}' (and separate entries with ',')"),
        ("description: Roll back", "description: \"Roll back",
         "7:18: the opening \" here is not closed on its line, so YAML reads the lines after it as part of the text; end the text with another \""),
        ("    notify: [oncall]", "    notify:\n      - oncall\n     - pager",
         "32:6: the list item '- pager' is indented 5 spaces, which lines up with no '-' above it; indent it 6 spaces to line up with the '-' on line 31"),
    ])
    func aStructureMistakeIsExplainedAtItsLineWithTheFix(replaced: String, replacement: String, expected: String) async throws {
        let (outcome, file) = try await Self.checkRollback { $0.replacingOccurrences(of: replaced, with: replacement) }
        #expect(outcome.status == 1)
        #expect(outcome.stdout == "\(file):\(expected)\n1 error in 1 of 1 file(s); 0 policies ok\n")
    }

    @Test func anUnknownFunctionListsTheFunctions() async throws {
        let (outcome, file) = try await Self.checkRollback { $0.replacingOccurrences(of: "condition: fill(errors, 0)", with: "condition: fil(errors, 0)") }
        #expect(outcome.stdout.hasPrefix("\(file):16:16: \(Self.policy)in 'condition': unknown function 'fil'; did you mean 'fill'? "
            + "The functions are abs, min, max, fill, avg_over, max_over, min_over, sum_over, trend, predict\n"), "\(outcome.stdout)")
        let far = try await Self.checkRollback { $0.replacingOccurrences(of: "condition: fill(errors, 0)", with: "condition: average(errors, 0)") }
        #expect(far.outcome.stdout.contains("in 'condition': unknown function 'average'; the functions are abs, min, max, fill, "), "\(far.outcome.stdout)")
    }

    @Test func anActionThatDoesNotFitTheTargetListsTheActionsThatDo() async throws {
        let (outcome, file) = try await Self.checkRollback {
            $0.replacingOccurrences(of: "ecs_rollback: { to: last-known-good, wait_stable: 10m }", with: "dynamodb_on_demand: {}")
        }
        #expect(outcome.stdout.hasPrefix("\(file):26:7: \(Self.policy)action 'dynamodb_on_demand' does not fit an ecs_service target "
            + "(it acts on a dynamodb_table); the actions for an ecs_service target are ecs_rollback, ecs_scale, ecs_redeploy, autoscaling_bounds\n"),
                "\(outcome.stdout)")
        let unknown = try await Self.checkRollback {
            $0.replacingOccurrences(of: "ecs_rollback: { to: last-known-good, wait_stable: 10m }", with: "rollback: {}")
        }
        #expect(unknown.outcome.stdout.hasPrefix("\(unknown.file):26:7: \(Self.policy)unknown action 'rollback'; did you mean 'ecs_rollback'? "
            + "The actions for an ecs_service target are ecs_rollback, ecs_scale, ecs_redeploy, autoscaling_bounds\n"), "\(unknown.outcome.stdout)")
    }

    @Test func aTestFileGivenToCheckIsNamedAsSuch() async throws {
        let outcome = try await ReflexBinary.run(["check", "policies/cart-rollback.test.yaml"])
        #expect(outcome.status == 1)
        #expect(outcome.stdout.hasPrefix("policies/cart-rollback.test.yaml:1:1: this is a policy test file ('policy_files:'), not a policy file; "
            + "run it with reflex test policies/cart-rollback.test.yaml\n"), "\(outcome.stdout)")
    }
}
