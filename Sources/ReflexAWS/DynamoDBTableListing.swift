extension DynamoDBClient {
    /// ListTables' largest page.
    static let maxListPageSize = 100

    private struct ListTablesInput: Encodable, Sendable { let ExclusiveStartTableName: String?; let Limit: Int }
    private struct ListTablesOutput: Decodable, Sendable { let TableNames: [String]?; let LastEvaluatedTableName: String? }

    /// The names of every table in the region, 100 to a call.
    func tableNames() async throws -> [String] {
        try await Paging.all("ListTables") { start in
            let page = try await client.call("ListTables", ListTablesInput(ExclusiveStartTableName: start, Limit: Self.maxListPageSize),
                                             as: ListTablesOutput.self).output
            return (page.TableNames ?? [], page.LastEvaluatedTableName)
        }
    }
}
