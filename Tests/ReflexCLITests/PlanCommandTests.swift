import Foundation
import ReflexAudit
import ReflexCore
import ReflexTestSupport
import Testing

/// `reflex plan` and `reflex backtest` as the real binary, against the emulator seeded with
/// the cart-service world and a 5xx spike with DynamoDB throttling.
@Suite(.serialized)
struct PlanCommandTests {
    /// An emulator with the incident's last 14 minutes of metrics, and a config for it.
    func incident() async throws -> (emulator: AWSEmulator, config: String) {
        let emulator = try AWSEmulator.start()
        try await emulator.seedCartService()
        let now = Int(Date().timeIntervalSince1970)
        let minutes = (1...14).map { Date(timeIntervalSince1970: Double(now - now % 60 - $0 * 60)) }
        let alb = ["LoadBalancer": "app/cart-alb/50dc6c495c0c9188"]
        try await emulator.putMetricData(namespace: "AWS/ApplicationELB", metric: "HTTPCode_Target_5XX_Count", dimensions: alb, points: minutes.map { ($0, 50) })
        try await emulator.putMetricData(namespace: "AWS/ApplicationELB", metric: "RequestCount", dimensions: alb, points: minutes.map { ($0, 1000) })
        try await emulator.putMetricData(namespace: "AWS/DynamoDB", metric: "ThrottledRequests", dimensions: ["TableName": "cart-service-carts"],
                                         points: minutes.map { ($0, 40) })
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("reflex-plan-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let config = directory + "/reflex.yaml"
        try "region: us-east-1\npolicies: \(ReflexBinary.repository.path)/policies\ndatabase: reflex.db\n"
            .write(toFile: config, atomically: true, encoding: .utf8)
        return (emulator, config)
    }

    func policies(_ json: String) throws -> [String: [String: Any]] {
        let rows = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [[String: Any]])
        return Dictionary(uniqueKeysWithValues: rows.map { ($0["policy"] as! String, $0) })
    }

    @Test func planShowsStateEvidenceAndTheActionItWouldTake() async throws {
        let (emulator, config) = try await incident()
        let outcome = try await ReflexBinary.run(["plan", "--config", config, "--format", "json"], environment: emulator.environment)
        #expect(outcome.status == 0, "\(outcome.stderr)")
        let rows = try policies(outcome.stdout)
        let rollback = try #require(rows["cart-rollback-on-5xx-after-deploy"])
        #expect(rollback["state"] as? String == "firing")
        #expect(rollback["observed"] as? Double == 0.05)
        #expect(rollback["threshold"] as? Double == 0.01)
        #expect(rollback["decision"] as? String == "act")
        #expect(rollback["action"] as? String == "task definition revision 3 -> 2")
        let throttling = try #require(rows["cart-dynamodb-throttling"])
        #expect(throttling["action"] as? String == "capacity read 100 -> 200, write 50 -> 100")
        #expect(rows["cart-memory-leak-redeploy"]?["state"] as? String == "insufficient-data")
        // Plan never acts: the service still runs revision 3 and the table has its capacity.
        let table = try await ReflexBinary.run(["plan", "--config", config], environment: emulator.environment)
        let line = table.stdout.split(separator: "\n").first { $0.hasPrefix("cart-dynamodb-throttling ") }.map(String.init) ?? ""
        #expect(line.contains(" dynamodb:cart-service-carts ") && line.contains(" enforce ") && line.contains(" firing "), "\(table.stdout)")
        // The throttling policy is a fleet over the service's tables: one instance now, firing.
        #expect(table.stdout.contains("\ncart-dynamodb-throttling: 1 instance, 1 firing\n"), "\(table.stdout)")
        let again = try policies(try await ReflexBinary.run(["plan", "--config", config, "--format", "json"], environment: emulator.environment).stdout)
        #expect(again["cart-rollback-on-5xx-after-deploy"]?["action"] as? String == "task definition revision 3 -> 2")
        #expect(again["cart-dynamodb-throttling"]?["action"] as? String == "capacity read 100 -> 200, write 50 -> 100")
    }

    @Test func whenCloudWatchFailsEveryPolicyIsInErrorAndNothingWouldAct() async throws {
        let (emulator, config) = try await incident()
        try await emulator.inject([.init(target: "GetMetricData", status: 500, code: "InternalFailure", count: 10)])
        let outcome = try await ReflexBinary.run(["plan", "--config", config, "--format", "json"], environment: emulator.environment)
        #expect(outcome.status == 2)
        let rows = try policies(outcome.stdout)
        #expect(rows.count == 7)
        // The policies reading CloudWatch fail closed; task stops and probes are read elsewhere.
        let others: Set = ["cart-oom-redeploy", "cart-readiness"]
        for (name, row) in rows {
            #expect((row["state"] as? String == "error") == !others.contains(name), "\(name)")
            #expect(row["decision"] as? String == "none", "\(name)")
        }
    }

    @Test func planHoldsWhatTheDaemonWouldHoldAndFreshIgnoresTheLog() async throws {
        let (emulator, config) = try await incident()
        let throttling = "cart-dynamodb-throttling"
        func plan(_ extra: [String] = []) async throws -> [String: [String: Any]] {
            let outcome = try await ReflexBinary.run(["plan", "--config", config, "--format", "json"] + extra, environment: emulator.environment)
            #expect(outcome.status == 0, "\(outcome.stderr)")
            return try policies(outcome.stdout)
        }
        // Before the log exists: planned as if nothing had happened.
        #expect(try await plan()[throttling]?["decision"] as? String == "act")

        // Safe mode on, as an operator sets it: held, in the daemon's words.
        #expect(try await ReflexBinary.run(["safe-mode", "on", "--config", config]).status == 0)
        var rows = try await plan()
        #expect(rows[throttling]?["decision"] as? String == "hold")
        #expect(rows[throttling]?["action"] as? String == "safe-mode: safe mode is on")
        #expect(rows["cart-rollback-on-5xx-after-deploy"]?["action"] as? String == "safe-mode: safe mode is on")
        #expect(try await plan(["--fresh"])[throttling]?["decision"] as? String == "act")

        // Safe mode off, and the table raised two minutes ago: in cooldown until ten minutes after.
        #expect(try await ReflexBinary.run(["safe-mode", "off", "--config", config]).status == 0)
        let store = try DecisionStore(path: URL(fileURLWithPath: config).deletingLastPathComponent().path + "/reflex.db")
        let raisedAt = Date(timeIntervalSince1970: (Date().timeIntervalSince1970 - 120).rounded(.down))
        let intent = try store.append(DecisionRecord(at: raisedAt, kind: .actionIntent, policy: throttling, target: "dynamodb:cart-service-carts",
                                                     action: "dynamodb-capacity", mode: "enforce"))
        _ = try store.append(DecisionRecord(at: raisedAt, kind: .actionExecuted, policy: throttling, target: "dynamodb:cart-service-carts",
                                            action: "dynamodb-capacity", mode: "enforce", intentID: intent, outcome: "succeeded"))
        rows = try await plan()
        let until = raisedAt.addingTimeInterval(600).formatted(.iso8601)
        #expect(rows[throttling]?["decision"] as? String == "hold")
        #expect(rows[throttling]?["action"] as? String == "cooldown: target in cooldown until \(until)")
        // The other policies are not held by that table's cooldown.
        #expect(rows["cart-rollback-on-5xx-after-deploy"]?["decision"] as? String == "act")
        #expect(try await plan(["--fresh"])[throttling]?["decision"] as? String == "act")
    }

    @Test func planAsksWaitsAndActsAsTheApprovalsInTheLogSay() async throws {
        let (emulator, config) = try await incident()
        let rollback = "cart-rollback-on-5xx-after-deploy"
        let policies = try ReflexBinary.copyOfPolicies { files in
            files["cart-rollback.yaml"] = files["cart-rollback.yaml"]!.replacingOccurrences(of: "    mode: enforce\n", with: "    mode: approve\n")
        }
        try "region: us-east-1\npolicies: \(policies)\ndatabase: reflex.db\n".write(toFile: config, atomically: true, encoding: .utf8)
        func plan() async throws -> [String: Any]? {
            let outcome = try await ReflexBinary.run(["plan", "--config", config, "--format", "json"], environment: emulator.environment)
            #expect(outcome.status == 0, "\(outcome.stderr)")
            return try self.policies(outcome.stdout)[rollback]
        }
        var row = try await plan()
        #expect(row?["decision"] as? String == "ask")
        #expect(row?["action"] as? String == "approval of: task definition revision 3 -> 2")

        // The daemon asked: plan waits for the answer, as the daemon does.
        let store = try DecisionStore(path: URL(fileURLWithPath: config).deletingLastPathComponent().path + "/reflex.db")
        let asked = Date(timeIntervalSince1970: Date().timeIntervalSince1970.rounded(.down))
        let expires = asked.addingTimeInterval(900)
        let planned = ApprovalPlan(change: .rollback(from: 3, to: 2), plannedAgainst: TargetSnapshot(revision: 3, rollbackRevision: 2),
                                   expiresAt: expires, digest: "d")
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        let request = try store.append(DecisionRecord(at: asked, kind: .approvalRequested, policy: rollback, target: "ecs:ecommerce/cart-service",
                                                      parameters: String(decoding: try encoder.encode(planned), as: UTF8.self), mode: "approve"))
        row = try await plan()
        #expect(row?["decision"] as? String == "hold")
        #expect(row?["action"] as? String == "approval-pending: waiting for approval until \(expires.formatted(.iso8601))")

        // Approved: plan shows the change the daemon would make at its next cycle.
        let approved = try await ReflexBinary.run(["approve", String(request), "--config", config])
        #expect(approved.status == 0, "\(approved.stderr)")
        row = try await plan()
        #expect(row?["decision"] as? String == "act")
        #expect(row?["action"] as? String == "task definition revision 3 -> 2")
    }

    @Test func aWrongSecretIsAnEnvironmentErrorSaidOnceWithTheTableStillPrinted() async throws {
        let emulator = try AWSEmulator.start(auth: true)
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("reflex-plan-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        // The single-target policies only: no discovery to fail first.
        try FileManager.default.createDirectory(atPath: directory + "/policies", withIntermediateDirectories: true)
        for name in ["cart-rollback.yaml", "cart-latency.yaml"] {
            try FileManager.default.copyItem(atPath: ReflexBinary.repository.path + "/policies/" + name, toPath: directory + "/policies/" + name)
        }
        try "region: us-east-1\npolicies: policies\ndatabase: reflex.db\n".write(toFile: directory + "/reflex.yaml", atomically: true, encoding: .utf8)
        var environment = emulator.environment
        environment["AWS_SECRET_ACCESS_KEY"] = "wrong-secret-wrong-secret-wrong-secret-00"
        let outcome = try await ReflexBinary.run(["plan", "--config", directory + "/reflex.yaml"], environment: environment)
        #expect(outcome.status == 2)
        let rows = outcome.stdout.split(separator: "\n").filter { $0.hasPrefix("cart-") }
        #expect(rows.count == 3, "\(outcome.stdout)")
        #expect(rows.allSatisfy { $0.contains(" error ") }, "\(outcome.stdout)")
        let complaints = outcome.stderr.split(separator: "\n").filter { $0.contains("could not be evaluated") }
        #expect(complaints.count == 1, "\(outcome.stderr)")
        #expect(complaints.first?.hasPrefix("reflex plan: 3 of 3 policies could not be evaluated: ") == true, "\(outcome.stderr)")
        // The error once per row (its REASON), not again as evidence.
        let error = try #require(complaints.first?.components(separatedBy: "could not be evaluated: ").last)
        for row in rows { #expect(row.components(separatedBy: error).count == 2, "\(row)") }
        #expect(!outcome.stderr.contains("wrong-secret"))
    }

    @Test func backtestReplaysHistoryWithGuardrails() async throws {
        let (emulator, config) = try await incident()
        let outcome = try await ReflexBinary.run(["backtest", "--config", config, "--from", "20m", "--format", "json"], environment: emulator.environment)
        #expect(outcome.status == 0, "\(outcome.stderr)")
        let rows = try #require(try JSONSerialization.jsonObject(with: Data(outcome.stdout.utf8)) as? [[String: Any]])
        let throttling = rows.filter { $0["policy"] as? String == "cart-dynamodb-throttling" }.compactMap { $0["decision"] as? String }
        #expect(throttling.first == "act: capacity read 100 -> 200, write 50 -> 100")
        #expect(throttling.dropFirst().first?.hasPrefix("hold: cooldown") == true)
    }

    @Test func withoutARegionPlanIsAnEnvironmentError() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("reflex-plan-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        try "policies: \(ReflexBinary.repository.path)/policies\n".write(toFile: directory + "/reflex.yaml", atomically: true, encoding: .utf8)
        let outcome = try await ReflexBinary.run(["plan", "--config", directory + "/reflex.yaml"],
                                           environment: ["AWS_REGION": "", "AWS_DEFAULT_REGION": "", "HOME": directory])
        #expect(outcome.status == 2)
        #expect(outcome.stderr.contains("no AWS region"))
    }
}
