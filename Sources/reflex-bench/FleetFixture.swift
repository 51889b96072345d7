import Foundation
import ReflexAWS
import ReflexCore
import ReflexPolicyFile
import ReflexTestSupport

/// The fleet the peer and scale benchmarks judge: DynamoDB tables tagged `team: bench`, each
/// with five minutes of `ThrottledRequests`, every `firingEvery`-th of them throttled (50 a
/// minute), and the one policy that covers them all.
struct FleetFixture {
    /// How many tables.
    let tables: Int
    /// Every this many tables, one is throttled (the first, then every `firingEvery`-th).
    let firingEvery: Int
    /// How tables are named: the prefix, then the index.
    let prefix: String
    /// Digits of the index (zero-padded), or 0 for none.
    let digits: Int

    /// The tag every table of the fleet carries.
    static let tag = (key: "team", value: "bench")

    /// The name of table `index`.
    func table(_ index: Int) -> String {
        let number = String(index)
        return prefix + String(repeating: "0", count: max(0, digits - number.count)) + number
    }

    /// Whether table `index` is throttled.
    func throttled(_ index: Int) -> Bool { index.isMultiple(of: firingEvery) }

    /// How many tables are throttled.
    var expectedFiring: Int { (tables + firingEvery - 1) / firingEvery }

    /// The index of a table of this fleet, from its name.
    func index(of name: Substring) -> Int? {
        name.hasPrefix(prefix) ? Int(name.dropFirst(prefix.count)) : nil
    }

    /// The throttles table `index` had in each of the five minutes before `now`.
    func value(_ index: Int) -> Double { throttled(index) ? 50 : 0 }

    /// ONE policy over every table tagged `team: bench`: throttled when more than 25 requests a
    /// minute were throttled for 3 minutes. Dry-run: nothing is changed. `guarded`, it has the
    /// guardrails of the README's fleet example; without them, every firing instance makes a
    /// dry-run decision every cycle.
    static func policyYAML(guarded: Bool = true) -> String {
        """
        policies:
          - name: throttled-tables
            mode: dry-run
            metrics:
              throttles: { namespace: AWS/DynamoDB, metric: ThrottledRequests, dimensions: { TableName: "${table}" }, stat: Sum, period: 1m }
            condition: throttles > 25
            for: 3m
            missing_data: not-breaching
            target: { dynamodb_table: { tags: { \(tag.key): \(tag.value) } } }
            action: { dynamodb_capacity: { read: { factor: 2, max: 400 } } }
        \(guarded ? "    guardrails: { cooldown: 10m, max_actions: 2 per 1h, max_actions_per_target: 4 per 6h }\n" : "")
        """
    }

    /// Writes the policy and a config for it under `directory` (`reflex.yaml`, `policies/`).
    static func writeReflexFiles(to directory: String) throws {
        try FileManager.default.createDirectory(atPath: directory + "/policies", withIntermediateDirectories: true)
        try policyYAML().write(toFile: directory + "/policies/fleet.yaml", atomically: true, encoding: .utf8)
        try "region: us-east-1\npolicies: policies\ndatabase: reflex.db\n".write(toFile: directory + "/reflex.yaml", atomically: true, encoding: .utf8)
    }

    /// Creates the tables (tagged) in the emulator and puts their five minutes of throttles,
    /// ending at `now`, and the same for `minutesAfter` minutes after it (for cycles that go on
    /// judging new periods).
    func seed(_ emulator: AWSEmulator, at now: Date, minutesAfter: Int = 0) async throws {
        struct CreateTable: Encodable, Sendable {
            struct Attribute: Encodable, Sendable { let AttributeName: String; let AttributeType = "S" }
            struct Key: Encodable, Sendable { let AttributeName: String; let KeyType = "HASH" }
            struct Throughput: Encodable, Sendable { let ReadCapacityUnits = 100; let WriteCapacityUnits = 50 }
            struct Tag: Encodable, Sendable { let Key: String; let Value: String }
            let TableName: String
            let AttributeDefinitions = [Attribute(AttributeName: "id")]
            let KeySchema = [Key(AttributeName: "id")]
            let ProvisionedThroughput = Throughput()
            let Tags = [Tag(Key: FleetFixture.tag.key, Value: FleetFixture.tag.value)]
        }
        struct Created: Decodable, Sendable {}
        let dynamoDB = emulator.client(.dynamoDB)
        let names = (0..<tables).map(table)
        let created = await names.concurrentMap(limit: 8) { name in
            (try? await dynamoDB.call("CreateTable", CreateTable(TableName: name), as: Created.self)) != nil
        }
        guard created.allSatisfy({ $0 }) else { throw BenchmarkError("the emulator did not create every table") }
        let series = (0..<tables).map { index in
            SeededSeries(metric: "ThrottledRequests", dimensions: ["TableName": table(index)],
                         points: (-minutesAfter...5).map { (now.addingTimeInterval(-60 * Double($0)), value(index)) })
        }
        try await emulator.putMetricData(namespace: "AWS/DynamoDB", series: series)
    }

    /// The fleet policy, parsed.
    static func policy(guarded: Bool = true) throws -> Policy {
        let parsed = PolicyParser.parse(policyYAML(guarded: guarded), file: "fleet.yaml")
        guard parsed.errors.isEmpty, let policy = parsed.policies.first?.policy else {
            throw BenchmarkError("the fleet policy does not load: \(parsed.errors)")
        }
        return policy
    }

    /// Resource discovery through `emulator`.
    static func discovery(_ emulator: AWSEmulator) -> AWSResourceDiscovery {
        AWSResourceDiscovery(tagging: ResourceGroupsTaggingClient(client: emulator.client(.resourceGroupsTagging)),
                             dynamoDB: DynamoDBClient(client: emulator.client(.dynamoDB)), ecs: ECSClient(client: emulator.client(.ecs)),
                             loadBalancing: ElasticLoadBalancingClient(client: emulator.client(.elasticLoadBalancingV2)))
    }
}

/// The current time, rounded down to the minute: seeded series end there.
func minuteNow() -> Date {
    Date(timeIntervalSince1970: (Date().timeIntervalSince1970 / 60).rounded(.down) * 60)
}

/// Operation names as the emulator and `SyntheticAWS` count them.
enum Operation {
    static let getMetricData = "GraniteServiceVersion20100801.GetMetricData"
    static let describeTable = "DynamoDB_20120810.DescribeTable"
}
