import Testing

struct TestCommandTests {
    @Test func theShippedPolicyTestsPass() throws {
        let outcome = try ReflexBinary.run(["test", "policies"])
        #expect(outcome.status == 0, "\(outcome.stdout)")
        #expect(outcome.stdout.contains("policy tests: 22 of 22 passed in 4 file(s)"))
    }

    @Test func aChangedExpectationFailsWithExpectedVersusGot() throws {
        let directory = try ReflexBinary.copyOfPolicies { files in
            files["cart-dynamodb-throttling.test.yaml"] = files["cart-dynamodb-throttling.test.yaml"]!
                .replacingOccurrences(of: "target: { read_capacity: 200, write_capacity: 100 }", with: "target: { read_capacity: 300, write_capacity: 100 }")
        }
        let outcome = try ReflexBinary.run(["test", directory])
        #expect(outcome.status == 1)
        #expect(outcome.stdout.contains("  FAIL  sustained throttling doubles capacity"))
        #expect(outcome.stdout.contains("cart-dynamodb-throttling.test.yaml:9: at 11m: policy 'cart-dynamodb-throttling': "
            + "expected target read_capacity 300, got 200"), "\(outcome.stdout)")
        #expect(outcome.stdout.contains("policy tests: 21 of 22 passed"))
    }

    @Test func anInvalidTestFileFailsAtItsPosition() throws {
        let directory = try ReflexBinary.copyOfPolicies { files in
            files["cart-memory-leak.test.yaml"] = files["cart-memory-leak.test.yaml"]!
                .replacingOccurrences(of: "state: pending }", with: "state: pendin }")
        }
        let outcome = try ReflexBinary.run(["test", directory])
        #expect(outcome.status == 1)
        #expect(outcome.stdout.contains("cart-memory-leak.test.yaml:10:"), "\(outcome.stdout)")
        #expect(outcome.stdout.contains("'state' must be one of"), "\(outcome.stdout)")
    }
}
