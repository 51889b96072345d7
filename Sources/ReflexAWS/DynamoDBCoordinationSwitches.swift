import Foundation
import ReflexCore

extension DynamoDBCoordination {
    /// The sort key of `circuit`. Policy and target are escaped so that a `#` in either cannot
    /// make two circuits share an item.
    static func circuitSortKey(_ circuit: CircuitKey) -> String {
        func escaped(_ text: String) -> String {
            text.replacingOccurrences(of: "%", with: "%25").replacingOccurrences(of: "#", with: "%23")
        }
        return "circuit#\(escaped(circuit.policy))#\(escaped(circuit.target))"
    }

    public func switches() async throws -> SharedSwitches {
        let condition = DynamoDBClient.Expression("#pk = :pk", names: Self.names(Attribute.pk), values: [":pk": .string("switch")])
        var switches = SharedSwitches()
        for item in try await dynamoDB.query(table: table, keyCondition: condition) {
            let sortKey = item[Attribute.sk]?.stringValue ?? ""
            if sortKey == "safe-mode" {
                guard let on = item[Attribute.on]?.boolValue else {
                    throw CoordinationTableError.malformedItem(table: table, detail: "safe-mode has no boolean `on`")
                }
                switches.safeMode = on
            } else if sortKey.hasPrefix("circuit#") {
                // The names as written, not as read back out of the (escaped) sort key.
                guard let policy = item[Attribute.policy]?.stringValue, let target = item[Attribute.target]?.stringValue,
                      let open = item[Attribute.open]?.boolValue else {
                    throw CoordinationTableError.malformedItem(table: table, detail: "\(sortKey) lacks its policy, target or `open`")
                }
                if open { switches.openCircuits.insert(CircuitKey(policy: policy, target: target)) }
            }
        }
        return switches
    }

    public func setSafeMode(_ on: Bool, by actor: String, at date: Date) async throws {
        try await dynamoDB.putItem(table: table, item: [
            Attribute.pk: .string("switch"), Attribute.sk: .string("safe-mode"), Attribute.on: .bool(on), Attribute.by: .string(actor),
            Attribute.at: .string(StoredTime.formatNearest(date)),
        ])
    }

    public func setCircuit(_ key: CircuitKey, open: Bool, reason: String, at date: Date) async throws {
        try await dynamoDB.putItem(table: table, item: [
            Attribute.pk: .string("switch"), Attribute.sk: .string(Self.circuitSortKey(key)), Attribute.policy: .string(key.policy),
            Attribute.target: .string(key.target), Attribute.open: .bool(open), Attribute.reason: .string(reason),
            Attribute.at: .string(StoredTime.formatNearest(date)),
        ])
    }
}
