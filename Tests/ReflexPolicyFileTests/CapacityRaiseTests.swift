import ReflexCore
import ReflexPolicyFile
import Testing

/// `dynamodb_capacity` only raises: a factor of one or less, or a step below one, is refused
/// where it is written.
struct CapacityRaiseTests {
    static let table = "target: { dynamodb_table: { name: t } }"

    @Test(arguments: [
        ("    action: { dynamodb_capacity: { read: { factor: 1e-300 } } }", "7:52", "'factor' of a capacity raise must be greater than 1 and at most 100, found 1e-300"),
        ("    action: { dynamodb_capacity: { read: { factor: 0.5 } } }", "7:52", "must be greater than 1"),
        ("    action: { dynamodb_capacity: { write: { factor: 1 } } }", "7:53", "must be greater than 1"),
        ("    action: { dynamodb_capacity: { read: { by: -1000000 } } }", "7:48", "'by' of a capacity raise must be between 1 and 1000000, found -1000000"),
        ("    action: { dynamodb_capacity: { write: { by: 0 } } }", "7:49", "must be between 1 and"),
    ])
    func aCapacityChangeThatWouldLowerIsRefused(extra: String, position: String, message: String) {
        PolicyParserTests.expectRefused(PolicyParserTests.minimal(extra, target: Self.table), at: position, saying: message)
    }

    @Test func raisesAreAccepted() {
        let parsed = PolicyParser.parse(PolicyParserTests.minimal(
            "    action: { dynamodb_capacity: { read: { factor: 1.5 }, write: { by: +5 } } }", target: Self.table), file: "p.yaml")
        #expect(parsed.policies.first?.policy.action == .dynamoDBCapacity(
            read: CapacityChange(amount: .factor(1.5), max: nil), write: CapacityChange(amount: .by(5), max: nil)), "\(parsed.errors)")
    }
}
