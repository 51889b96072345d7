import Foundation

extension DynamoDBClient {
    private struct QueryInput: Encodable, Sendable {
        let TableName: String
        let KeyConditionExpression: String
        let ExpressionAttributeNames: [String: String]?
        let ExpressionAttributeValues: Item?
        let ConsistentRead: Bool
        let ExclusiveStartKey: Item?
    }
    private struct QueryOutput: Decodable, Sendable {
        let Items: [Item]?
        let LastEvaluatedKey: Item?
    }

    /// Every item that `keyCondition` selects, in sort-key order, read strongly consistent and
    /// across all pages (a page ends at 1 MB; `LastEvaluatedKey` names where the next starts).
    public func query(table: String, keyCondition: Expression) async throws -> [Item] {
        let placeholders = Self.placeholders([keyCondition])
        return try await Paging.all("Query") { token in
            let start = try token.map { try AWSClient.decoder.decode(Item.self, from: Data($0.utf8)) }
            let output = try await client.call("Query", QueryInput(TableName: table, KeyConditionExpression: keyCondition.text,
                                                                   ExpressionAttributeNames: placeholders.names,
                                                                   ExpressionAttributeValues: placeholders.values,
                                                                   ConsistentRead: true, ExclusiveStartKey: start),
                                               as: QueryOutput.self).output
            // Paging keeps tokens as text, to see one come back: the key as canonical JSON.
            let next = try output.LastEvaluatedKey.map { String(decoding: try Self.keyEncoder.encode($0), as: UTF8.self) }
            return (output.Items ?? [], next)
        }
    }

    private static let keyEncoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        return encoder
    }()
}
