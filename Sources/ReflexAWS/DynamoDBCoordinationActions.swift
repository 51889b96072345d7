import Foundation
import ReflexCore

extension DynamoDBCoordination {
    /// How long an action stays in the table: `expires` (epoch seconds) is its intent plus
    /// this, for the table's TTL to delete it. Cooldowns and budgets look back far less.
    static let actionLifetime: TimeInterval = 30 * 24 * 3600

    /// The sort key of the action `key` whose intent is at `at`: time first, so that a range
    /// of sort keys is a range of time.
    static func actionSortKey(key: String, at: Date) -> String { "\(StoredTime.formatNearest(at))#\(key)" }

    public func commitAction(_ action: SharedAction, lease: LeaseRecord) async throws -> Bool {
        // A lease without a holder leads no one.
        guard let holder = lease.holder else { return false }
        let intent = String(decoding: try CoordinationJSON.encoder.encode(action.intent), as: UTF8.self)
        var item: DynamoDBClient.Item = [
            Attribute.pk: .string("action"), Attribute.sk: .string(Self.actionSortKey(key: action.key, at: action.intent.at)),
            Attribute.node: .string(action.node), Attribute.epoch: .integer(action.epoch), Attribute.intent: .string(intent),
            Attribute.expires: .integer(Int((action.intent.at.timeIntervalSince1970 + Self.actionLifetime).rounded(.down))),
        ]
        item[Attribute.outcome] = action.outcome.map { .string($0) }
        item[Attribute.outcomeAt] = action.outcomeAt.map { .string(StoredTime.formatNearest($0)) }
        item[Attribute.verified] = action.verified.map { .bool($0) }
        let leaseHeld = DynamoDBClient.Expression("#holder = :holder AND #epoch = :epoch", names: Self.names(Attribute.holder, Attribute.epoch),
                                                  values: [":holder": .string(holder), ":epoch": .integer(lease.epoch)])
        let outcome = try await dynamoDB.transactWriteItems([
            .put(table: table, item: item, condition: Self.absent),
            .conditionCheck(table: table, key: Self.leaseKey, condition: leaseHeld),
        ])
        switch outcome {
        case .committed: return true
        case let .conditionsFailed(items) where items.contains(1): return false
        case .conditionsFailed: throw CoordinationTableError.actionExists(table: table, key: action.key)
        }
    }

    @discardableResult
    public func updateAction(key: String, at: Date, outcome: String?, outcomeAt: Date?, verified: Bool?) async throws -> Bool {
        var assignments: [String] = [], names: [String: String] = [:], values: DynamoDBClient.Item = [:]
        func set(_ name: String, _ value: DynamoDBClient.AttributeValue?) {
            guard let value else { return }
            assignments.append("#\(name) = :\(name)")
            names["#\(name)"] = name
            values[":\(name)"] = value
        }
        set(Attribute.outcome, outcome.map { .string($0) })
        set(Attribute.outcomeAt, outcomeAt.map { .string(StoredTime.formatNearest($0)) })
        set(Attribute.verified, verified.map { .bool($0) })
        guard !assignments.isEmpty else { return true }
        let key: DynamoDBClient.Item = [Attribute.pk: .string("action"), Attribute.sk: .string(Self.actionSortKey(key: key, at: at))]
        let update = DynamoDBClient.Expression("SET " + assignments.joined(separator: ", "), names: names, values: values)
        // Only an existing action: an update must not make a half item without its intent.
        return try await dynamoDB.updateItem(table: table, key: key, update: update, condition: Self.exists)
    }

    public func actions(since date: Date) async throws -> [SharedAction] {
        let condition = DynamoDBClient.Expression("#pk = :pk AND #sk >= :since", names: Self.names(Attribute.pk, Attribute.sk),
                                                  values: [":pk": .string("action"), ":since": .string(StoredTime.formatNearest(date))])
        return try await dynamoDB.query(table: table, keyCondition: condition).map(action)
    }

    /// The action an item holds.
    func action(_ item: DynamoDBClient.Item) throws -> SharedAction {
        guard let sortKey = item[Attribute.sk]?.stringValue, let separator = sortKey.firstIndex(of: "#"),
              let node = item[Attribute.node]?.stringValue, let epoch = item[Attribute.epoch]?.intValue,
              let intentText = item[Attribute.intent]?.stringValue,
              let intent = try? CoordinationJSON.decoder.decode(DecisionRecord.self, from: Data(intentText.utf8)) else {
            throw CoordinationTableError.malformedItem(table: table, detail: "an action lacks its sort key, node, epoch or intent")
        }
        var outcomeAt: Date?
        if let text = item[Attribute.outcomeAt]?.stringValue {
            guard let date = StoredTime.parse(text) else {
                throw CoordinationTableError.malformedItem(table: table, detail: "outcomeAt \(text) of \(sortKey) is not a time")
            }
            outcomeAt = date
        }
        return SharedAction(key: String(sortKey[sortKey.index(after: separator)...]), node: node, epoch: epoch, intent: intent,
                            outcome: item[Attribute.outcome]?.stringValue, outcomeAt: outcomeAt, verified: item[Attribute.verified]?.boolValue)
    }
}
