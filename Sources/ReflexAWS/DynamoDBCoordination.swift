import Foundation
import ReflexCore

/// The state a highly available pair shares (`CoordinationStore`), in one DynamoDB table whose
/// key is `pk` (S, HASH) + `sk` (S, RANGE): the lease item (`lease`/`lease`), actions
/// (`action`/`<time>#<key>`) and switches (`switch`/`safe-mode`, `switch`/`circuit#...`).
/// Every write that decides who leads is conditional, so two nodes never both win one.
public struct DynamoDBCoordination: CoordinationStore {
    /// The table's name.
    public let table: String
    let dynamoDB: DynamoDBClient
    /// How long `ensureTable` waits for a new table to become ACTIVE, and how often it looks.
    let tableWait: Duration
    let tablePoll: Duration

    /// The shared state in `table`, through `dynamoDB`.
    public init(dynamoDB: DynamoDBClient, table: String, tableWait: Duration = .seconds(60), tablePoll: Duration = .seconds(1)) {
        self.dynamoDB = dynamoDB
        self.table = table
        self.tableWait = tableWait
        self.tablePoll = tablePoll
    }

    /// Attribute names, each used through a `#placeholder` of the same name.
    enum Attribute {
        static let pk = "pk", sk = "sk", holder = "holder", rvn = "rvn", epoch = "epoch"
        static let node = "node", intent = "intent", outcome = "outcome", outcomeAt = "outcomeAt", verified = "verified", expires = "expires"
        static let on = "on", by = "by", at = "at", policy = "policy", target = "target", open = "open", reason = "reason"
    }

    /// The `#placeholder` -> name map of `names`.
    static func names(_ names: String...) -> [String: String] {
        Dictionary(uniqueKeysWithValues: names.map { ("#\($0)", $0) })
    }

    static let leaseKey: DynamoDBClient.Item = [Attribute.pk: .string("lease"), Attribute.sk: .string("lease")]

    /// The item matches only if it exists (any key attribute does).
    static let exists = DynamoDBClient.Expression("attribute_exists(#pk)", names: names(Attribute.pk))
    /// The item matches only if there is none with its key.
    static let absent = DynamoDBClient.Expression("attribute_not_exists(#pk)", names: names(Attribute.pk))

    // MARK: LeaseStore

    public func readLease() async throws -> LeaseRecord? {
        guard let item = try await dynamoDB.getItem(table: table, key: Self.leaseKey) else { return nil }
        guard let version = item[Attribute.rvn]?.stringValue, let epoch = item[Attribute.epoch]?.intValue else {
            throw CoordinationTableError.malformedItem(table: table, detail: "the lease has no rvn or no integer epoch")
        }
        return LeaseRecord(holder: item[Attribute.holder]?.stringValue, recordVersion: version, epoch: epoch)
    }

    public func replaceLease(expected: LeaseRecord?, with new: LeaseRecord) async throws -> Bool {
        var item = Self.leaseKey
        item[Attribute.rvn] = .string(new.recordVersion)
        item[Attribute.epoch] = .integer(new.epoch)
        // Released: no holder attribute at all, which the next taker's condition tests for.
        item[Attribute.holder] = new.holder.map { .string($0) }
        return try await dynamoDB.putItem(table: table, item: item, condition: Self.leaseCondition(expected))
    }

    /// The stored lease is exactly `expected` (holder, record version and epoch), or there is
    /// none when `expected` is nil.
    static func leaseCondition(_ expected: LeaseRecord?) -> DynamoDBClient.Expression {
        guard let expected else { return absent }
        var condition = DynamoDBClient.Expression("#rvn = :rvn AND #epoch = :epoch", names: names(Attribute.rvn, Attribute.epoch),
                                                  values: [":rvn": .string(expected.recordVersion), ":epoch": .integer(expected.epoch)])
        if let holder = expected.holder {
            condition = condition.and(.init("#holder = :holder", names: names(Attribute.holder), values: [":holder": .string(holder)]))
        } else {
            condition = condition.and(.init("attribute_not_exists(#holder)", names: names(Attribute.holder)))
        }
        return condition
    }
}
