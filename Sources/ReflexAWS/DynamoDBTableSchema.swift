extension DynamoDBClient {
    /// A table's key and status, as DescribeTable reports them.
    public struct TableSchema: Hashable, Sendable {
        /// A key attribute: its name, role (`HASH` or `RANGE`) and type (`S`, `N`, `B`).
        public struct KeyAttribute: Hashable, Sendable {
            /// The attribute's name.
            public let name: String
            /// `HASH` (partition key) or `RANGE` (sort key).
            public let role: String
            /// `S`, `N` or `B`; nil when the description did not define it.
            public let type: String?

            /// A key attribute.
            public init(name: String, role: String, type: String?) {
                self.name = name
                self.role = role
                self.type = type
            }
        }
        /// `CREATING`, `ACTIVE`, `UPDATING`, `DELETING`, ...
        public let status: String?
        /// The key attributes, the partition key first.
        public let key: [KeyAttribute]
    }

    private struct TableNameInput: Encodable, Sendable { let TableName: String }
    private struct KeyElement: Codable, Sendable { let AttributeName: String; let KeyType: String }
    private struct AttributeDefinition: Codable, Sendable { let AttributeName: String; let AttributeType: String }
    private struct Description: Decodable, Sendable {
        let TableStatus: String?
        let KeySchema: [KeyElement]?
        let AttributeDefinitions: [AttributeDefinition]?

        var schema: TableSchema {
            let types = Dictionary((AttributeDefinitions ?? []).map { ($0.AttributeName, $0.AttributeType) }) { first, _ in first }
            // HASH before RANGE whatever order the answer lists them in.
            let key = (KeySchema ?? []).sorted { $0.KeyType == "HASH" && $1.KeyType != "HASH" }
            return TableSchema(status: TableStatus, key: key.map { .init(name: $0.AttributeName, role: $0.KeyType, type: types[$0.AttributeName]) })
        }
    }
    private struct DescribeOutput: Decodable, Sendable { let Table: Description }

    /// The key and status of the table `name`; throws `ResourceNotFoundException` when there is none.
    public func tableSchema(_ name: String) async throws -> TableSchema {
        try await client.call("DescribeTable", TableNameInput(TableName: name), as: DescribeOutput.self).output.Table.schema
    }

    private struct CreateTableInput: Encodable, Sendable {
        let TableName: String
        let KeySchema: [KeyElement]
        let AttributeDefinitions: [AttributeDefinition]
        let BillingMode: String
    }
    private struct CreateTableOutput: Decodable, Sendable { let TableDescription: Description? }

    /// Creates the on-demand table `name` with `key` (each attribute with its type). Returns its
    /// status as created (`CREATING` on AWS, `ACTIVE` at once on some emulators).
    public func createOnDemandTable(_ name: String, key: [TableSchema.KeyAttribute]) async throws -> String? {
        let input = CreateTableInput(TableName: name, KeySchema: key.map { KeyElement(AttributeName: $0.name, KeyType: $0.role) },
                                     AttributeDefinitions: key.map { AttributeDefinition(AttributeName: $0.name, AttributeType: $0.type ?? "S") },
                                     BillingMode: "PAY_PER_REQUEST")
        return try await client.call("CreateTable", input, as: CreateTableOutput.self).output.TableDescription?.TableStatus
    }
}
