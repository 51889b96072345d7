import Foundation
import Testing

/// `reflex test` refuses names the policies under test do not have, asserts planned changes,
/// and says so when given a policy file, through the real binary.
struct TestGuideTests {
    /// A copy of the shipped policies with `cart-latency.test.yaml` edited by `edit`, tested.
    static func testLatency(_ edit: (String) -> String) async throws -> (outcome: ReflexBinary.Outcome, file: String) {
        let directory = try ReflexBinary.copyOfPolicies { files in
            files = ["cart-latency.yaml": files["cart-latency.yaml"]!, "cart-latency.test.yaml": edit(files["cart-latency.test.yaml"]!)]
        }
        return (try await ReflexBinary.run(["test", directory]), directory + "/cart-latency.test.yaml")
    }

    @Test func aSeriesThePoliciesDoNotReadIsRefusedWithASuggestion() async throws {
        let (outcome, file) = try await Self.testLatency { $0.replacingOccurrences(of: "      cpu:     \"85x44\"", with: "      cpu:     \"85x44\"\n      laytency: \"1x3\"") }
        #expect(outcome.status == 1)
        #expect(outcome.stdout.contains("  \(file):20:7: series 'laytency' is not a metric of the 2 policies under test; did you mean 'latency'? "
            + "Their metrics are latency, throttles, cpu\n"), "\(outcome.stdout)")
    }

    @Test func aFactOfAnotherKindOfTargetIsRefused() async throws {
        let directory = try ReflexBinary.copyOfPolicies { files in
            files = ["cart-rollback.yaml": files["cart-rollback.yaml"]!, "cart-rollback.test.yaml": files["cart-rollback.test.yaml"]!
                .replacingOccurrences(of: "facts: { deployed_at: 0m, revision: 1 }", with: "facts: { deployed_at: 0m, revision: 1, read_capacity: 5 }")]
        }
        let outcome = try await ReflexBinary.run(["test", directory])
        #expect(outcome.status == 1)
        #expect(outcome.stdout.contains("/cart-rollback.test.yaml:64:44: fact 'read_capacity' does not describe the target of policy "
            + "'cart-rollback-on-5xx-after-deploy' (ecs_service); its facts are deployed_at, desired_count, revision, rollback_revision, "
            + "scaling_min, scaling_max\n"), "\(outcome.stdout)")
    }

    @Test func aMisspeltFactSuggestsTheNearest() async throws {
        let (outcome, file) = try await Self.testLatency { $0.replacingOccurrences(of: "facts: { desired_count: 4 }\n    expect:\n      - { at: 15m",
                                                                           with: "facts: { desired_cont: 4 }\n    expect:\n      - { at: 15m") }
        #expect(outcome.status == 1)
        #expect(outcome.stdout.contains("  \(file):32:14: unknown key 'desired_cont' in 'facts'; did you mean 'desired_count'?\n"), "\(outcome.stdout)")
    }

    @Test func aWrongPlannedChangeFailsWithExpectedVersusGot() async throws {
        let (outcome, file) = try await Self.testLatency {
            $0.replacingOccurrences(of: "actions_so_far: 1, change: { desired_count: 6 } }", with: "actions_so_far: 1, change: { desired_count: 7 } }")
                .replacingOccurrences(of: "- { at: 12m, policy: cart-latency-scale-out, action: held, held_by: cooldown }",
                                      with: "- { at: 12m, policy: cart-latency-scale-out, action: held, change: { desired_count: 6 } }")
        }
        #expect(outcome.status == 1)
        #expect(outcome.stdout.contains("        \(file):23: at 11m: policy 'cart-latency-scale-out': expected change desired_count 7, "
            + "got desired count 4 -> 6\n"), "\(outcome.stdout)")
        #expect(outcome.stdout.contains("        \(file):24: at 12m: policy 'cart-latency-scale-out': expected change desired_count 6, "
            + "got held by cooldown (target in cooldown until 2026-01-01T00:26:00Z), which plans no change\n"), "\(outcome.stdout)")
        #expect(outcome.stdout.contains("policy tests: 3 of 4 passed"))
    }

    @Test func aPolicyFileIsNotATestFile() async throws {
        let outcome = try await ReflexBinary.run(["test", "policies/cart-rollback.yaml"])
        #expect(outcome.status == 1)
        #expect(outcome.stdout.contains("  policies/cart-rollback.yaml:5:1: this is a policy file ('policies:'), not a policy test file "
            + "(named *.test.yaml, with 'policy_files:' and 'tests:'); its tests are in policies/cart-rollback.test.yaml: "
            + "run reflex test policies/cart-rollback.test.yaml, or reflex test on the directory\n"), "\(outcome.stdout)")
        let directory = try ReflexBinary.copyOfPolicies { files in files = ["cart-latency.yaml": files["cart-latency.yaml"]!] }
        let untested = try await ReflexBinary.run(["test", directory + "/cart-latency.yaml"])
        #expect(untested.stdout.contains("write its tests in \(directory)/cart-latency.test.yaml, with 'policy_files: [cart-latency.yaml]' and 'tests:'"),
                "\(untested.stdout)")
    }
}
