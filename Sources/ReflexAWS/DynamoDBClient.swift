import Foundation

/// The DynamoDB calls Reflex needs: a table's capacity and billing mode, and UpdateTable.
public struct DynamoDBClient: Sendable {
    /// A table as Reflex reads it.
    public struct Table: Sendable, Hashable {
        public let status: String?
        public let readCapacity: Int?
        public let writeCapacity: Int?
        /// Whether the table bills per request (on demand).
        public let onDemand: Bool
    }

    let client: AWSClient

    /// DynamoDB through `client`.
    public init(client: AWSClient) {
        precondition(client.service == .dynamoDB, "DynamoDBClient needs a DynamoDB client")
        self.client = client
    }

    private struct TableNameInput: Encodable, Sendable { let TableName: String }
    private struct TableDescription: Decodable, Sendable {
        struct Throughput: Decodable, Sendable { let ReadCapacityUnits: Int?; let WriteCapacityUnits: Int? }
        struct Billing: Decodable, Sendable { let BillingMode: String? }
        let TableStatus: String?
        let ProvisionedThroughput: Throughput?
        let BillingModeSummary: Billing?

        var table: Table {
            Table(status: TableStatus, readCapacity: ProvisionedThroughput?.ReadCapacityUnits,
                  writeCapacity: ProvisionedThroughput?.WriteCapacityUnits, onDemand: BillingModeSummary?.BillingMode == "PAY_PER_REQUEST")
        }
    }
    private struct DescribeTableOutput: Decodable, Sendable { let Table: TableDescription }

    /// The table `name`.
    public func describeTable(_ name: String) async throws -> Table {
        try await client.call("DescribeTable", TableNameInput(TableName: name), as: DescribeTableOutput.self).output.Table.table
    }

    private struct UpdateTableInput: Encodable, Sendable {
        struct Throughput: Encodable, Sendable { let ReadCapacityUnits: Int; let WriteCapacityUnits: Int }
        let TableName: String
        let BillingMode: String?
        let ProvisionedThroughput: Throughput?
    }
    private struct UpdateTableOutput: Decodable, Sendable { let TableDescription: TableDescription? }

    /// Sets provisioned capacity. Returns the AWS request id.
    @discardableResult
    public func setCapacity(_ name: String, read: Int, write: Int) async throws -> String? {
        try await client.call("UpdateTable", UpdateTableInput(TableName: name, BillingMode: nil,
                                                              ProvisionedThroughput: .init(ReadCapacityUnits: read, WriteCapacityUnits: write)),
                              as: UpdateTableOutput.self).requestID
    }

    /// Switches the table to on-demand billing. Returns the AWS request id.
    @discardableResult
    public func switchToOnDemand(_ name: String) async throws -> String? {
        try await client.call("UpdateTable", UpdateTableInput(TableName: name, BillingMode: "PAY_PER_REQUEST", ProvisionedThroughput: nil),
                              as: UpdateTableOutput.self).requestID
    }
}
