import Testing

struct TestCommandTests {
    @Test func theShippedPolicyTestsPass() async throws {
        let outcome = try await ReflexBinary.run(["test", "policies"])
        #expect(outcome.status == 0, "\(outcome.stdout)")
        #expect(outcome.stdout.contains("policy tests: 29 of 29 passed in 6 file(s)"))
    }

    @Test func aChangedExpectationFailsWithExpectedVersusGot() async throws {
        let directory = try ReflexBinary.copyOfPolicies { files in
            files["cart-dynamodb-throttling.test.yaml"] = files["cart-dynamodb-throttling.test.yaml"]!
                .replacingOccurrences(of: "target: { read_capacity: 200, write_capacity: 100 }", with: "target: { read_capacity: 300, write_capacity: 100 }")
        }
        let outcome = try await ReflexBinary.run(["test", directory])
        #expect(outcome.status == 1)
        #expect(outcome.stdout.contains("  FAIL  sustained throttling doubles capacity"))
        #expect(outcome.stdout.contains("cart-dynamodb-throttling.test.yaml:11: at 11m: policy 'cart-dynamodb-throttling' instance 'cart-service-carts': "
            + "expected target read_capacity 300, got 200"), "\(outcome.stdout)")
        #expect(outcome.stdout.contains("policy tests: 28 of 29 passed"))
    }

    @Test func anInvalidTestFileFailsAtItsPosition() async throws {
        let directory = try ReflexBinary.copyOfPolicies { files in
            files["cart-memory-leak.test.yaml"] = files["cart-memory-leak.test.yaml"]!
                .replacingOccurrences(of: "state: pending }", with: "state: pendin }")
        }
        let outcome = try await ReflexBinary.run(["test", directory])
        #expect(outcome.status == 1)
        #expect(outcome.stdout.contains("cart-memory-leak.test.yaml:10:"), "\(outcome.stdout)")
        #expect(outcome.stdout.contains("'state' must be one of"), "\(outcome.stdout)")
    }

    @Test func aFleetPolicyIsTestedPerInstanceAndAFailureNamesTheInstance() async throws {
        let passing = try await ReflexBinary.run(["test", "Tests/fleet-policies"])
        #expect(passing.status == 0, "\(passing.stdout)")
        #expect(passing.stdout.contains("  ok    three throttled tables share the fleet's budget of two actions an hour"))
        #expect(passing.stdout.contains("policy tests: 3 of 3 passed in 1 file(s)"), "\(passing.stdout)")

        let directory = try ReflexBinary.copyOfPolicies(in: "Tests/fleet-policies") { files in
            files["cart-tables.test.yaml"] = files["cart-tables.test.yaml"]!.replacingOccurrences(
                of: "instance: cart-sessions, state: firing, action: held, held_by: policy-budget",
                with: "instance: cart-sessions, state: firing, action: executed")
        }
        let failing = try await ReflexBinary.run(["test", directory])
        #expect(failing.status == 1)
        #expect(failing.stdout.contains("  FAIL  three throttled tables share the fleet's budget of two actions an hour"))
        #expect(failing.stdout.contains("cart-tables.test.yaml:20: at 6m: policy 'cart-tables-throttling' instance 'cart-sessions': "
            + "expected action executed, got held by policy-budget (policy budget of 2 per 1h spent)"), "\(failing.stdout)")
        #expect(failing.stdout.contains("policy tests: 2 of 3 passed"))
    }

    @Test func aFleetPolicyTestWithoutInstancesFailsAtItsPosition() async throws {
        let directory = try ReflexBinary.copyOfPolicies(in: "Tests/fleet-policies") { files in
            files["cart-tables.test.yaml"] = """
            policy_files: [cart-tables.yaml]
            tests:
              - name: no instances
                series: { throttles: "50x10" }
                expect: [{ at: 6m, state: firing }]
            """
        }
        let outcome = try await ReflexBinary.run(["test", directory])
        #expect(outcome.status == 1)
        #expect(outcome.stdout.contains("cart-tables.test.yaml:3:5: policy 'cart-tables-throttling': test 'no instances' needs 'instances:'"),
                "\(outcome.stdout)")
    }

    @Test func anApproveModePolicyAsksOnceWaitsAndAsksAgainOnlyAfterItsCooldown() async throws {
        let tests = """
            policy_files: [cart-rollback.yaml]
            tests:
              - name: the rollback is asked for, waits for an answer, expires, then waits out the cooldown
                series:
                  errors:   "0x9 50x19"
                  requests: "1000x29"
                  circuit:  "0x29"
                facts: { deployed_at: 5m, revision: 3, rollback_revision: 2 }
                expect:
                  - { at: 14m, state: firing, action: approval-requested, actions_so_far: 0, target: { revision: 3 } }
                  - { at: 15m, state: firing, action: held, held_by: approval-pending, actions_so_far: 0 }
                  - { at: 19m, state: firing, action: held, held_by: approval-pending }
                  - { at: 20m, state: firing, action: held, held_by: cooldown, target: { revision: 3 } }
            """
        let approve = { (files: inout [String: String]) in
            files["cart-rollback.yaml"] = files["cart-rollback.yaml"]!.replacingOccurrences(
                of: "    mode: enforce\n", with: "    mode: approve\n    approval_expires: 5m\n")
            files["cart-rollback.test.yaml"] = tests
        }
        let passing = try await ReflexBinary.run(["test", try ReflexBinary.copyOfPolicies(edit: approve)])
        #expect(passing.status == 0, "\(passing.stdout)")
        #expect(passing.stdout.contains("  ok    the rollback is asked for, waits for an answer, expires, then waits out the cooldown"), "\(passing.stdout)")

        let failing = try await ReflexBinary.run(["test", try ReflexBinary.copyOfPolicies { files in
            approve(&files)
            files["cart-rollback.test.yaml"] = tests.replacingOccurrences(of: "action: approval-requested", with: "action: executed")
        }])
        #expect(failing.status == 1)
        #expect(failing.stdout.contains("expected action executed, got approval requested (task definition revision 3 -> 2)"), "\(failing.stdout)")
    }
}
