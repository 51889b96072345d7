import Foundation
import Logging
import ReflexAWS
import ReflexHTTP
import ReflexTestSupport

/// What the STS tests share: base services on an emulator, DynamoDB calls made with any
/// credentials, a clock the tests move, and the parameters of recorded STS requests.
enum STSFixtures {
    /// A base secret and session token distinct enough to be searched for in logs and errors.
    static let baseSecret = "base-secret-0f3a9c"
    static let baseSessionToken = "base-session-token-77d1e2"

    /// The emulator's environment with the distinct base secret and token, a HOME without
    /// `~/.aws` and the instance metadata service off.
    static func variables(_ emulator: AWSEmulator) -> [String: String] {
        emulator.environment.merging(["HOME": "/nonexistent", "AWS_SECRET_ACCESS_KEY": baseSecret,
                                      "AWS_SESSION_TOKEN": baseSessionToken]) { $1 }
    }

    /// Services in us-east-1 with the default chain over `variables(emulator)`.
    static func services(_ emulator: AWSEmulator, logger: Logger = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }))
        throws -> AWSServices {
        try AWSServices(region: "us-east-1", environment: AWSEnvironment(variables: variables(emulator)), logger: logger,
                        retry: RetryPolicy(baseDelay: .milliseconds(1)))
    }

    /// An STS client on the emulator signing with the distinct base credentials.
    static func sts(_ emulator: AWSEmulator) -> STSClient {
        let http = CurlHTTPClient()
        return STSClient(client: AWSClient(service: .sts, region: "us-east-1", endpoint: emulator.endpoint, http: http,
                                           credentials: CredentialChain(environment: AWSEnvironment(variables: variables(emulator)), http: http),
                                           retry: RetryPolicy(baseDelay: .milliseconds(1)),
                                           logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })))
    }

    /// A DynamoDB client on the emulator in `region` signing with `credentials`.
    static func dynamoDB(_ emulator: AWSEmulator, region: String = "us-east-1", credentials: any CredentialSource) -> AWSClient {
        AWSClient(service: .dynamoDB, region: region, endpoint: emulator.endpoint, http: CurlHTTPClient(), credentials: credentials,
                  retry: RetryPolicy(baseDelay: .milliseconds(1)), logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }))
    }

    struct CreateTableInput: Encodable, Sendable {
        struct Attribute: Encodable, Sendable { let AttributeName: String; let AttributeType: String }
        struct Key: Encodable, Sendable { let AttributeName: String; let KeyType: String }
        struct Throughput: Encodable, Sendable { let ReadCapacityUnits: Int; let WriteCapacityUnits: Int }
        let TableName: String
        let AttributeDefinitions: [Attribute]
        let KeySchema: [Key]
        let ProvisionedThroughput: Throughput
    }
    struct Ignored: Decodable, Sendable {}
    struct ListTablesInput: Encodable, Sendable {}
    struct ListTablesOutput: Decodable, Sendable { let TableNames: [String] }

    /// Creates the table `name` with `readCapacity` through `client`.
    static func createTable(_ name: String, readCapacity: Int, through client: AWSClient) async throws {
        _ = try await client.call("CreateTable", CreateTableInput(
            TableName: name, AttributeDefinitions: [.init(AttributeName: "id", AttributeType: "S")],
            KeySchema: [.init(AttributeName: "id", KeyType: "HASH")],
            ProvisionedThroughput: .init(ReadCapacityUnits: readCapacity, WriteCapacityUnits: 1)), as: Ignored.self)
    }

    /// The tables `client` sees.
    static func tables(through client: AWSClient) async throws -> [String] {
        try await client.call("ListTables", ListTablesInput(), as: ListTablesOutput.self).output.TableNames
    }

    /// The parameters of a recorded AssumeRole or AssumeRoleWithWebIdentity request.
    struct AssumeRoleParameters: Decodable, Sendable {
        let RoleArn: String
        let RoleSessionName: String
        let DurationSeconds: Int?
        let ExternalId: String?
        let WebIdentityToken: String?
    }
}

/// A clock that tests move by hand.
final class ManualClock: @unchecked Sendable {
    private let lock = NSLock()
    private var current: Date

    init(_ start: Date = Date()) { current = start }

    var now: Date { lock.withLock { current } }

    func advance(by seconds: TimeInterval) { lock.withLock { current += seconds } }

    func set(_ date: Date) { lock.withLock { current = date } }

    /// The clock as the `now` closure credential sources take.
    var read: @Sendable () -> Date { { self.now } }
}
