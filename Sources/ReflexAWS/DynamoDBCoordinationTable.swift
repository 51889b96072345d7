extension DynamoDBCoordination {
    /// The key every coordination table has.
    static let keySchema: [DynamoDBClient.TableSchema.KeyAttribute] = [
        .init(name: Attribute.pk, role: "HASH", type: "S"), .init(name: Attribute.sk, role: "RANGE", type: "S"),
    ]

    /// Makes sure the table exists with the coordination key and is ACTIVE: creates it (on
    /// demand) when there is none and waits for it, up to the wait given at init. Throws a
    /// `CoordinationTableError` naming the table, the permission and AWS's error otherwise:
    /// Reflex refuses to start without its shared state.
    public func ensureTable() async throws {
        var schema: DynamoDBClient.TableSchema
        do {
            schema = try await dynamoDB.tableSchema(table)
        } catch let error as AWSError where error.code == "ResourceNotFoundException" {
            do {
                _ = try await dynamoDB.createOnDemandTable(table, key: Self.keySchema)
            } catch let error as AWSError where error.code == "ResourceInUseException" {
                // The other node created it a moment ago: use theirs.
            } catch let error as CancellationError {
                throw error
            } catch {
                throw CoordinationTableError.cannotCreate(table: table, error: "\(error)")
            }
            schema = try await describe()
        } catch let error as CancellationError {
            throw error
        } catch {
            throw CoordinationTableError.cannotDescribe(table: table, error: "\(error)")
        }
        guard schema.key == Self.keySchema else {
            let found = schema.key.map { "\($0.name) (\($0.type ?? "?"), \($0.role))" }.joined(separator: " and ")
            throw CoordinationTableError.wrongKeySchema(table: table, found: found.isEmpty ? "none" : found)
        }
        let clock = ContinuousClock()
        let deadline = clock.now + tableWait
        // A new table is CREATING for a few seconds on AWS; an emulator may make it ACTIVE at once.
        while schema.status == "CREATING", clock.now < deadline {
            try await Task.sleep(for: tablePoll)
            schema = try await describe()
        }
        // UPDATING (capacity, TTL, indexes) still serves reads and writes.
        guard schema.status == "ACTIVE" || schema.status == "UPDATING" else {
            throw CoordinationTableError.notActive(table: table, status: schema.status ?? "of no reported status")
        }
    }

    /// DescribeTable, its failure told as a `CoordinationTableError`.
    private func describe() async throws -> DynamoDBClient.TableSchema {
        do {
            return try await dynamoDB.tableSchema(table)
        } catch let error as CancellationError {
            throw error
        } catch {
            throw CoordinationTableError.cannotDescribe(table: table, error: "\(error)")
        }
    }
}
