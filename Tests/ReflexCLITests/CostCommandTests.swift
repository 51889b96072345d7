import Foundation
import ReflexTestSupport
import Testing

/// `reflex cost` as the real binary on the shipped policies, its fleet discovered on the
/// emulator's cart-service world (one table tagged service: cart-service).
@Suite(.serialized)
struct CostCommandTests {
    /// A config over `policies` (default: the shipped ones) in a scratch directory.
    func config(policies: String = ReflexBinary.repository.path + "/policies", extra: String = "region: us-east-1\n") throws -> String {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("reflex-cost-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        try (extra + "policies: \(policies)\ndatabase: reflex.db\n").write(toFile: directory + "/reflex.yaml", atomically: true, encoding: .utf8)
        return directory + "/reflex.yaml"
    }

    func json(_ outcome: ReflexBinary.Outcome) throws -> (policies: [String: [String: Any]], total: [String: Any]) {
        let object = try #require(try JSONSerialization.jsonObject(with: Data(outcome.stdout.utf8)) as? [String: Any], "\(outcome.stdout)")
        let rows = try #require(object["policies"] as? [[String: Any]])
        #expect(Set(object.keys) == ["policies", "total", "scopes"])
        let total = try #require(object["total"] as? [String: Any])
        // Everything in the daemon's own account and region: one scope, the whole bill.
        let scopes = try #require(object["scopes"] as? [[String: Any]])
        #expect(scopes.map { $0["scope"] as? String } == ["home"])
        #expect(scopes.first?["series"] as? Int == total["series"] as? Int)
        #expect(scopes.first?["usd_per_month"] as? Double == total["usd_per_month"] as? Double)
        return (Dictionary(uniqueKeysWithValues: rows.map { ($0["name"] as! String, $0) }), total)
    }

    @Test func theShippedPoliciesCostTheirDistinctSeriesOncePerPeriod() async throws {
        let emulator = try AWSEmulator.start()
        defer { emulator.stop() }
        try await emulator.seedCartService()
        let config = try config()
        let outcome = try await ReflexBinary.run(["cost", "--config", config, "--format", "json"], environment: emulator.environment)
        #expect(outcome.status == 0, "\(outcome.stderr)")
        let (policies, total) = try json(outcome)
        #expect(policies.mapValues { $0["series"] as? Int } == [
            "cart-dynamodb-throttling": 1, "cart-latency-dynamodb-capacity": 2, "cart-latency-scale-out": 3,
            "cart-memory-leak-redeploy": 1, "cart-rollback-on-5xx-after-deploy": 2,
            // Task stops, probes and log lines are not CloudWatch metrics: nothing to buy.
            "cart-oom-redeploy": 0, "cart-readiness": 0,
        ])
        #expect(policies.values.allSatisfy { Set($0.keys) == ["name", "series", "metrics_per_month", "usd_per_month"] })
        #expect(policies["cart-latency-scale-out"]?["metrics_per_month"] as? Int == 129_600)
        #expect(policies["cart-latency-scale-out"]?["usd_per_month"] as? Double == 1.296)
        #expect(policies["cart-memory-leak-redeploy"]?["metrics_per_month"] as? Int == 8_640)
        #expect(policies["cart-memory-leak-redeploy"]?["usd_per_month"] as? Double == 0.0864)
        // Latency, throttles (the fleet's one table is the latency policies' table too), CPU,
        // memory (5 minutes), errors and requests: six series, each counted once.
        #expect(Set(total.keys) == ["series", "metrics_per_month", "usd_per_month", "alarms_usd_per_month"])
        #expect(total["series"] as? Int == 6)
        #expect(total["metrics_per_month"] as? Int == 224_640)
        #expect(total["usd_per_month"] as? Double == 2.2464)
        #expect(total["alarms_usd_per_month"] as? Double == 0.6)

        let table = try await ReflexBinary.run(["cost", "--config", config], environment: emulator.environment)
        #expect(table.status == 0, "\(table.stderr)")
        let lines = table.stdout.split(separator: "\n").map(String.init)
        #expect(lines.first?.split(separator: " ", omittingEmptySubsequences: true)
            == ["POLICY", "INSTANCES", "SERIES", "PERIODS", "METRICS/MONTH", "USD/MONTH"], "\(table.stdout)")
        #expect(lines.contains { $0.hasPrefix("cart-memory-leak-redeploy ") && $0.hasSuffix(" 1          1       5m       8,640          $0.0864") },
                "\(table.stdout)")
        #expect(lines.contains { $0.hasPrefix("total (a shared series once) ") && $0.hasSuffix(" 224,640        $2.2464") }, "\(table.stdout)")
        #expect(table.stdout.contains("Alarms instead: one CloudWatch alarm per series, 6 alarms, $0.60 a month"), "\(table.stdout)")
        #expect(table.stdout.contains("The daemon requests the floor: each series once per newly settled period"), "\(table.stdout)")
    }

    @Test func everyTableTheFleetFindsAddsItsSeries() async throws {
        let emulator = try AWSEmulator.start()
        defer { emulator.stop() }
        try await emulator.seedCartService()
        try await emulator.boto3([Boto3Call("dynamodb", "create_table", """
            {"TableName": "cart-service-sessions", "BillingMode": "PAY_PER_REQUEST",
             "KeySchema": [{"AttributeName": "id", "KeyType": "HASH"}], "AttributeDefinitions": [{"AttributeName": "id", "AttributeType": "S"}],
             "Tags": [{"Key": "service", "Value": "cart-service"}]}
            """)])
        let outcome = try await ReflexBinary.run(["cost", "--config", try config(extra: "region: us-east-1\n"), "--format", "json"],
                                           environment: emulator.environment)
        #expect(outcome.status == 0, "\(outcome.stderr)")
        let (policies, total) = try json(outcome)
        #expect(policies["cart-dynamodb-throttling"]?["series"] as? Int == 2)
        #expect(policies["cart-dynamodb-throttling"]?["metrics_per_month"] as? Int == 86_400)
        #expect(total["series"] as? Int == 7)
        #expect(total["metrics_per_month"] as? Int == 267_840)
        #expect(total["alarms_usd_per_month"] as? Double == 0.7)
    }

    @Test func aFailedDiscoveryIsAnEnvironmentError() async throws {
        let emulator = try AWSEmulator.start()
        defer { emulator.stop() }
        try await emulator.seedCartService()
        try await emulator.inject([.init(target: "GetResources", status: 400, code: "AccessDeniedException")])
        let outcome = try await ReflexBinary.run(["cost", "--config", try config()], environment: emulator.environment)
        #expect(outcome.status == 2)
        #expect(outcome.stderr.contains("reflex cost: cart-dynamodb-throttling: discovery failed: ") && outcome.stderr.contains("AccessDeniedException"),
                "\(outcome.stderr)")
        #expect(outcome.stdout.isEmpty, "\(outcome.stdout)")
    }

    @Test func withoutAFleetNoAWSIsNeeded() async throws {
        let policies = try ReflexBinary.copyOfPolicies { files in
            files = files.filter { !$0.key.hasPrefix("cart-dynamodb-throttling") }
        }
        let outcome = try await ReflexBinary.run(["cost", "--config", try config(policies: policies, extra: ""), "--format", "json"],
                                           environment: ["AWS_REGION": "", "AWS_DEFAULT_REGION": "", "AWS_ENDPOINT_URL": "http://127.0.0.1:9"])
        #expect(outcome.status == 0, "\(outcome.stderr)")
        let (rows, total) = try json(outcome)
        #expect(rows.count == 6)
        // The latency policies read the table's throttles themselves: still six series.
        #expect(total["series"] as? Int == 6)
        #expect(total["usd_per_month"] as? Double == 2.2464)
    }
}
