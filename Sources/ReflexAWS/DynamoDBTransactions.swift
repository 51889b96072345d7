import Foundation
import ReflexHTTP

extension DynamoDBClient {
    /// One item of a TransactWriteItems call: a conditional Put, or a ConditionCheck that
    /// writes nothing but must hold for the transaction to commit.
    public enum TransactionItem: Hashable, Sendable {
        /// Writes `item` if `condition` (when given) holds.
        case put(table: String, item: Item, condition: Expression?)
        /// Writes nothing; the transaction commits only if `condition` holds for the item `key`.
        case conditionCheck(table: String, key: Item, condition: Expression)
    }

    /// How a transaction ended, when it did not fail for another reason.
    public enum TransactionOutcome: Hashable, Sendable {
        /// Every write was made.
        case committed
        /// Nothing was written: the conditions of these items (positions in the request) failed.
        case conditionsFailed(Set<Int>)
    }

    private struct TransactInput: Encodable, Sendable {
        struct Put: Encodable, Sendable {
            let TableName: String
            let Item: Item
            let ConditionExpression: String?
            let ExpressionAttributeNames: [String: String]?
            let ExpressionAttributeValues: Item?
        }
        struct ConditionCheck: Encodable, Sendable {
            let TableName: String
            let Key: Item
            let ConditionExpression: String
            let ExpressionAttributeNames: [String: String]?
            let ExpressionAttributeValues: Item?
        }
        struct Entry: Encodable, Sendable {
            var Put: Put?
            var ConditionCheck: ConditionCheck?
        }
        let TransactItems: [Entry]
        let ClientRequestToken: String
    }
    private struct TransactOutput: Decodable, Sendable {}

    /// Makes all of `items` or none: one TransactWriteItems call. Returns whether it committed
    /// or which conditions failed; throws any other cancellation (`TransactionConflict`,
    /// throttling of an item, ...) as a `TransactionCanceled`, and every other error as is.
    ///
    /// The call carries a fresh `ClientRequestToken`, the same on every retry of it, so that a
    /// retry after a lost answer is answered as the first attempt was (AWS keeps tokens for ten
    /// minutes) rather than failing on the write it made itself.
    public func transactWriteItems(_ items: [TransactionItem]) async throws -> TransactionOutcome {
        let entries = items.map { item -> TransactInput.Entry in
            switch item {
            case let .put(table, item, condition):
                let placeholders = Self.placeholders([condition])
                return .init(Put: .init(TableName: table, Item: item, ConditionExpression: condition?.text,
                                        ExpressionAttributeNames: placeholders.names, ExpressionAttributeValues: placeholders.values))
            case let .conditionCheck(table, key, condition):
                let placeholders = Self.placeholders([condition])
                return .init(ConditionCheck: .init(TableName: table, Key: key, ConditionExpression: condition.text,
                                                   ExpressionAttributeNames: placeholders.names, ExpressionAttributeValues: placeholders.values))
            }
        }
        let input = TransactInput(TransactItems: entries, ClientRequestToken: UUID().uuidString)
        do {
            _ = try await client.call("TransactWriteItems", input, as: TransactOutput.self, failure: TransactionCanceled.reading)
            return .committed
        } catch let canceled as TransactionCanceled where canceled.reasons.contains("ConditionalCheckFailed") {
            return .conditionsFailed(Set(canceled.reasons.indices.filter { canceled.reasons[$0] == "ConditionalCheckFailed" }))
        }
    }

    /// A transaction AWS cancelled, with the reason of each item in request order (`None` for
    /// an item that was not the cause).
    public struct TransactionCanceled: Error, Hashable, Sendable, CustomStringConvertible {
        /// Each item's cancellation code: `None`, `ConditionalCheckFailed`, `TransactionConflict`, ...
        public let reasons: [String]
        /// The error as AWS answered it.
        public let error: AWSError

        public var description: String { "\(error) (reasons: \(reasons.joined(separator: ", ")))" }

        /// The cancellation in an error answer: `TransactionCanceledException` with its
        /// `CancellationReasons` (AWS lists one per item); any other error is left as it is.
        static func reading(_ error: AWSError, body: Data) -> any Error {
            struct Body: Decodable { struct Reason: Decodable { let Code: String? }; let CancellationReasons: [Reason]? }
            guard error.code == "TransactionCanceledException",
                  let reasons = (try? JSONDecoder().decode(Body.self, from: body))?.CancellationReasons else { return error }
            return TransactionCanceled(reasons: reasons.map { ExternalText.bounded($0.Code ?? "None") }, error: error)
        }
    }
}
