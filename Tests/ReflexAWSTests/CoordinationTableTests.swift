import Foundation
import ReflexAWS
import ReflexCore
import ReflexTestSupport
import Testing

/// `ensureTable`: the coordination table is created on demand once and accepted after; a table
/// with another key, or a refused DescribeTable or CreateTable, stops Reflex with a message
/// that names the table and the permission.
struct CoordinationTableTests {
    struct CreateTableParameters: Decodable, Sendable {
        struct Element: Decodable, Sendable { let AttributeName: String; let KeyType: String }
        struct Definition: Decodable, Sendable { let AttributeName: String; let AttributeType: String }
        let TableName: String
        let KeySchema: [Element]
        let AttributeDefinitions: [Definition]
        let BillingMode: String?
    }

    @Test func createsTheTableOnDemandOnceAndAcceptsItAfter() async throws {
        let emulator = try await CoordinationFixtures.emulator()
        let store = CoordinationFixtures.store(emulator)
        try await store.ensureTable()
        try await CoordinationFixtures.store(emulator).ensureTable()

        let created = try await emulator.recordedParameters(of: "CreateTable", as: CreateTableParameters.self)
        #expect(created.count == 1)
        #expect(created.first?.TableName == CoordinationFixtures.table && created.first?.BillingMode == "PAY_PER_REQUEST")
        #expect(created.first?.KeySchema.map { "\($0.AttributeName) \($0.KeyType)" } == ["pk HASH", "sk RANGE"])
        #expect(Set(created.first?.AttributeDefinitions.map { "\($0.AttributeName) \($0.AttributeType)" } ?? []) == ["pk S", "sk S"])
        let schema = try await DynamoDBClient(client: emulator.client(.dynamoDB)).tableSchema(CoordinationFixtures.table)
        #expect(schema.status == "ACTIVE" && schema.key.map(\.name) == ["pk", "sk"])
        // The table works: a lease can be written into it.
        #expect(try await store.replaceLease(expected: nil, with: LeaseRecord(holder: "a", recordVersion: "r1", epoch: 1)))
        try await CoordinationFixtures.expectValidRequests(emulator)
    }

    @Test func aTableWithAnotherKeyIsRefusedByName() async throws {
        let emulator = try await CoordinationFixtures.emulator()
        let dynamoDB = DynamoDBClient(client: emulator.client(.dynamoDB))
        _ = try await dynamoDB.createOnDemandTable("carts", key: [.init(name: "id", role: "HASH", type: "S")])
        _ = try await dynamoDB.createOnDemandTable("numbered", key: [.init(name: "pk", role: "HASH", type: "S"),
                                                                     .init(name: "sk", role: "RANGE", type: "N")])
        for table in ["carts", "numbered"] {
            await #expect {
                try await CoordinationFixtures.store(emulator, table: table).ensureTable()
            } throws: { error in
                guard case .wrongKeySchema? = error as? CoordinationTableError else { return false }
                let text = "\(error)"
                return text.contains("table \(table)") && text.contains("pk (S, HASH) and sk (S, RANGE)")
            }
        }
        #expect(try await emulator.calls()["DynamoDB_20120810.CreateTable"] == 2)
        try await CoordinationFixtures.expectValidRequests(emulator)
    }

    @Test func refusedCallsNameTheTableThePermissionAndTheError() async throws {
        let emulator = try await CoordinationFixtures.emulator()
        // Each refused call is named with the permission it needs, and no secret.
        for (call, permission) in [("DescribeTable", "dynamodb:DescribeTable"), ("CreateTable", "dynamodb:CreateTable")] {
            try await emulator.inject([.init(target: call, status: 400, code: "AccessDeniedException")])
            await #expect {
                try await CoordinationFixtures.store(emulator).ensureTable()
            } throws: { error in
                let text = "\(error)"
                return text.contains(CoordinationFixtures.table) && text.contains(permission) && text.contains("AccessDeniedException")
                    && !text.contains(emulator.secretAccessKey)
            }
        }
        // Refused, nothing was created.
        await #expect(throws: AWSError.self) { try await DynamoDBClient(client: emulator.client(.dynamoDB)).tableSchema(CoordinationFixtures.table) }
        try await CoordinationFixtures.expectValidRequests(emulator)
    }

    @Test func waitsWhileTheTableIsCreatingAndGivesUpWhenItStaysSo() async throws {
        let emulator = try await CoordinationFixtures.emulator()
        try await CoordinationFixtures.store(emulator).ensureTable()
        // DescribeTable as AWS answers it for a table just created (moto makes tables ACTIVE at once).
        let creating = #"{"Table":{"TableName":"reflex-coordination","TableStatus":"CREATING","KeySchema":[{"AttributeName":"pk","KeyType":"HASH"},"#
            + #"{"AttributeName":"sk","KeyType":"RANGE"}],"AttributeDefinitions":[{"AttributeName":"pk","AttributeType":"S"},"#
            + #"{"AttributeName":"sk","AttributeType":"S"}]}}"#
        let before = try await emulator.calls()["DynamoDB_20120810.DescribeTable"] ?? 0
        try await emulator.inject([.init(target: "DescribeTable", count: 2, body: creating)])
        try await CoordinationFixtures.store(emulator).ensureTable()
        // Two answers CREATING, then the table's own ACTIVE.
        #expect(try await emulator.calls()["DynamoDB_20120810.DescribeTable"] == before + 3)

        try await emulator.inject([.init(target: "DescribeTable", count: 1000, body: creating)])
        let impatient = DynamoDBCoordination(dynamoDB: DynamoDBClient(client: emulator.client(.dynamoDB)), table: CoordinationFixtures.table,
                                             tableWait: .milliseconds(300), tablePoll: .milliseconds(50))
        await #expect(throws: CoordinationTableError.notActive(table: CoordinationFixtures.table, status: "CREATING")) {
            try await impatient.ensureTable()
        }
        try await CoordinationFixtures.expectValidRequests(emulator)
    }
}
