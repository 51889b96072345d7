extension DynamoDBClient {
    private struct GetItemInput: Encodable, Sendable {
        let TableName: String
        let Key: Item
        let ConsistentRead: Bool
    }
    private struct GetItemOutput: Decodable, Sendable { let Item: Item? }

    /// The item with `key`, read strongly consistent (what another node wrote last, not what a
    /// replica has seen); nil when there is none.
    public func getItem(table: String, key: Item) async throws -> Item? {
        try await client.call("GetItem", GetItemInput(TableName: table, Key: key, ConsistentRead: true), as: GetItemOutput.self).output.Item
    }

    private struct WriteInput: Encodable, Sendable {
        let TableName: String
        var Item: Item?
        var Key: Item?
        var UpdateExpression: String?
        let ConditionExpression: String?
        let ExpressionAttributeNames: [String: String]?
        let ExpressionAttributeValues: Item?

        init(table: String, item: Item? = nil, key: Item? = nil, update: Expression? = nil, condition: Expression?) {
            let placeholders = DynamoDBClient.placeholders([update, condition])
            TableName = table
            Item = item
            Key = key
            UpdateExpression = update?.text
            ConditionExpression = condition?.text
            ExpressionAttributeNames = placeholders.names
            ExpressionAttributeValues = placeholders.values
        }
    }
    private struct WriteOutput: Decodable, Sendable {}

    /// Writes `item` (replacing any item with its key) if `condition` holds. Returns false when
    /// the condition failed (`ConditionalCheckFailedException`); throws any other error.
    @discardableResult
    public func putItem(table: String, item: Item, condition: Expression? = nil) async throws -> Bool {
        try await conditionally("PutItem", WriteInput(table: table, item: item, condition: condition))
    }

    /// Applies `update` (an update expression) to the item with `key` if `condition` holds.
    /// Returns false when the condition failed; throws any other error.
    @discardableResult
    public func updateItem(table: String, key: Item, update: Expression, condition: Expression? = nil) async throws -> Bool {
        try await conditionally("UpdateItem", WriteInput(table: table, key: key, update: update, condition: condition))
    }

    /// A single-item write, with its failed condition told apart from every other error: only
    /// that one means "someone else wrote first".
    private func conditionally(_ operation: String, _ input: WriteInput) async throws -> Bool {
        do {
            _ = try await client.call(operation, input, as: WriteOutput.self)
            return true
        } catch let error as AWSError where error.code == "ConditionalCheckFailedException" {
            return false
        }
    }
}
