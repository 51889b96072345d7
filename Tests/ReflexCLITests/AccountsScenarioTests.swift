import Foundation
import ReflexAudit
import ReflexTestSupport
import Testing

/// One daemon over two AWS accounts, each reached by assuming a role with the daemon's own
/// credentials: the same table name in both, told apart by the account in its target id; an
/// account whose role cannot be assumed fails alone; no assumed secret is ever written down.
@Suite(.serialized)
struct AccountsScenarioTests {
    typealias Running = DaemonTests.Running

    static let prodRole = "arn:aws:iam::111111111111:role/reflex"
    static let stagingRole = "arn:aws:iam::222222222222:role/reflex"
    static let config = """
        accounts:
          prod:    { role_arn: "\(prodRole)" }
          staging: { role_arn: "\(stagingRole)" }

        """
    static let policy = "cart-throttling"
    /// The fleet scenarios' throttling policy (tables tagged team: cart), in both accounts.
    static let policyFile = FleetScenarioTests.fleetPolicy(policy, acting: true)
        .replacingOccurrences(of: "    mode: enforce\n", with: "    mode: enforce\n    accounts: [prod, staging]\n")
    /// The same over the one table named cart in each account.
    static let namedTablePolicyFile = policyFile.replacingOccurrences(of: "{ tags: { team: cart } }", with: "{ name: cart }")
        .replacingOccurrences(of: "\"${table}\"", with: "cart")

    /// Table `cart` (tagged team: cart, capacity 10/10) in the role's account, and `throttles`
    /// ThrottledRequests in each minute there from ten minutes ago.
    static func cartTable(_ emulator: AWSEmulator, role: String, throttles: Double) async throws {
        var table = FleetScenarioTests.createTable("cart", tags: ["team": "cart"])
        table = Boto3Call(table.service, table.operation, table.params_json, role: role)
        // From ten minutes ago to three ahead: a later `reflex plan` still judges periods with data.
        let minutes = ScenarioTests.minutes(-3...10).map { ISO8601DateFormatter().string(from: $0) }
        let data: [[String: Any]] = minutes.map {
            ["MetricName": "ThrottledRequests", "Dimensions": [["Name": "TableName", "Value": "cart"]], "Timestamp": $0, "Value": throttles]
        }
        try await emulator.boto3([table, Boto3Call("cloudwatch", "put_metric_data", RunbookSignalsScenarioTests.json(["Namespace": "AWS/DynamoDB", "MetricData": data]), role: role)])
    }

    /// The capacity of table `cart` in the role's account.
    static func capacity(_ emulator: AWSEmulator, role: String) async throws -> Int {
        struct Described: Decodable {
            struct Table: Decodable { struct Throughput: Decodable { let ReadCapacityUnits: Int }; let ProvisionedThroughput: Throughput }
            let Table: Table
        }
        return try await emulator.boto3(Boto3Call("dynamodb", "describe_table", RunbookSignalsScenarioTests.json(["TableName": "cart"]), role: role),
                                        as: Described.self).Table.ProvisionedThroughput.ReadCapacityUnits
    }

    @Test func theSameTableInTwoAccountsIsRaisedOnlyWhereItIsThrottled() async throws {
        let emulator = try AWSEmulator.start()
        try await Self.cartTable(emulator, role: Self.prodRole, throttles: 40)
        try await Self.cartTable(emulator, role: Self.stagingRole, throttles: 0)
        try await emulator.startRecordingRequests()
        let daemon = try await Running(watchdog: false, world: emulator, edit: { $0 = ["cart.yaml": Self.policyFile] }, config: Self.config)

        let executed = try await daemon.wait(for: "action-executed", policy: Self.policy)
        // Staging was judged on its zeros, not passed over for want of data.
        let quiet = try await daemon.wait(for: "state-change", policy: Self.policy) { $0.record.target == "dynamodb:222222222222/cart" }
        #expect(quiet.first?.record.stateTo == "ok")
        #expect(FleetScenarioTests.all(try FleetScenarioTests.evidence(try #require(quiet.first), "throttles"), equal: 0))
        try await daemon.socket.wait(for: { $0.hasPrefix("STATUS=1 policies") }, after: daemon.socket.lines.count)
        #expect(try await daemon.stop() == 0)

        // Every call the daemon made was a valid call of its service, and it assumed each
        // account's role once (cached for the run).
        let requests = try await emulator.recordedRequests()
        let invalid = requests.filter { !$0.problems.isEmpty }
        #expect(invalid.isEmpty, "\(invalid)")
        #expect(requests.filter { $0.operation == "AssumeRole" }.count == 2)

        // The log names the account: the action is on prod's table, once.
        #expect(executed.map(\.record.target) == ["dynamodb:111111111111/cart"])
        #expect(try daemon.decisions("action-executed").count == 1)
        #expect(try await Self.capacity(emulator, role: Self.prodRole) == 20)
        #expect(try await Self.capacity(emulator, role: Self.stagingRole) == 10)
        // Plan groups by account and region, reading each in its account (both throttled and
        // quiet tables judged); cost gives each account's share.
        let config = daemon.directory + "/reflex.yaml"
        let plan = try await ReflexBinary.run(["plan", "--config", config, "--fresh"], environment: emulator.environment)
        #expect(plan.status == 0, "\(plan.stderr)")
        let prodAt = try #require(plan.stdout.range(of: "account prod (111111111111), the daemon's region:"), "\(plan.stdout)")
        let stagingAt = try #require(plan.stdout.range(of: "account staging (222222222222), the daemon's region:"), "\(plan.stdout)")
        let prodTable = plan.stdout[prodAt.upperBound..<stagingAt.lowerBound]
        #expect(prodTable.contains("dynamodb:111111111111/cart") && prodTable.contains("firing") && !prodTable.contains("222222222222"),
                "\(plan.stdout)")
        let stagingTable = plan.stdout[stagingAt.upperBound...]
        #expect(stagingTable.contains("dynamodb:222222222222/cart") && stagingTable.contains(" ok "), "\(stagingTable)")
        let cost = try await ReflexBinary.run(["cost", "--config", config], environment: emulator.environment)
        #expect(cost.status == 0, "\(cost.stderr)")
        #expect(cost.stdout.contains("in account 111111111111") && cost.stdout.contains("in account 222222222222"), "\(cost.stdout)")

        // `reflex audit list --target` filters by account.
        let listed = try await ReflexBinary.run(["audit", "list", "--db", daemon.database, "--target", "dynamodb:111111111111/*", "--format", "json"])
        #expect(listed.status == 0 && listed.stdout.contains("dynamodb:111111111111/cart") && !listed.stdout.contains("222222222222"), "\(listed.stdout)")

        // Plan and cost assumed the roles too: their secrets are among those looked for. None
        // STS issued appears in the daemon's log, the database files or what the commands printed.
        let secrets = try await emulator.issuedSecrets()
        #expect(secrets.count >= 4)
        let written = [daemon.log, plan.stdout, plan.stderr, cost.stdout, cost.stderr] + (try FileManager.default.contentsOfDirectory(atPath: daemon.directory)).filter { $0.hasPrefix("reflex.db") }
            .map { String(decoding: (FileManager.default.contents(atPath: daemon.directory + "/" + $0) ?? Data()), as: UTF8.self) }
        for secret in secrets { #expect(!written.contains { $0.contains(secret) }) }
        emulator.stop()
    }

    @Test func anAccountWhoseRoleCannotBeAssumedFailsClosedAloneAndTheOtherActs() async throws {
        // One named table in each account: each instance judged on its own series.
        let named = Self.namedTablePolicyFile
        #expect(named.contains("dynamodb_table: { name: cart }") && !named.contains("${table}"), "\(named)")
        let emulator = try AWSEmulator.start()
        try await Self.cartTable(emulator, role: Self.prodRole, throttles: 40)
        try await Self.cartTable(emulator, role: Self.stagingRole, throttles: 40)
        // STS refuses staging's role from now on.
        try await emulator.inject([.init(target: "AssumeRole", status: 403, code: "AccessDenied", count: 10_000, match: "222222222222")])
        let daemon = try await Running(watchdog: false, world: emulator, edit: { $0 = ["cart.yaml": named] }, config: Self.config)

        let executed = try await daemon.wait(for: "action-executed", policy: Self.policy)
        #expect(executed.map(\.record.target) == ["dynamodb:111111111111/cart"])
        // Staging's instance is in error, saying why, and never acted on.
        let failed = try await daemon.wait(for: "state-change", policy: Self.policy) { $0.record.target == "dynamodb:222222222222/cart" }
        #expect(failed.map(\.record.stateTo) == ["error"])
        #expect(failed.first?.record.detail?.contains("AccessDenied") == true, "\(failed.first?.record.detail ?? "")")
        try await daemon.socket.wait(for: { $0.hasPrefix("STATUS=1 policies") }, after: daemon.socket.lines.count)
        #expect(try await daemon.stop() == 0)
        #expect(try daemon.decisions("action-intent").count == 1)
        #expect(try await Self.capacity(emulator, role: Self.prodRole) == 20)
        #expect(try await Self.capacity(emulator, role: Self.stagingRole) == 10)
        #expect(try await emulator.calls()["DynamoDB_20120810.UpdateTable"] == 1)
        emulator.stop()
    }
}

/// `reflex check` and `reflex test` check the accounts a policy names against the config's.
struct AccountsCheckTests {
    @Test func checkRefusesAnAccountTheConfigDoesNotDefine() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("reflex-accounts-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory + "/policies", withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try ("region: us-east-1\npolicies: policies\n" + AccountsScenarioTests.config).write(toFile: directory + "/reflex.yaml", atomically: true, encoding: .utf8)
        let policy = AccountsScenarioTests.policyFile.replacingOccurrences(of: "accounts: [prod, staging]", with: "accounts: [prod, stagin]")
        try policy.write(toFile: directory + "/policies/cart.yaml", atomically: true, encoding: .utf8)

        let refused = try await ReflexBinary.run(["check", directory + "/policies", "--config", directory + "/reflex.yaml"])
        #expect(refused.status == 1)
        #expect(refused.stdout.contains("cart.yaml:4:22: policy 'cart-throttling': account 'stagin' is not configured; did you mean 'staging'?"),
                "\(refused.stdout)")
        // Without a config to check against, the policy says what it needs.
        let unknown = try await ReflexBinary.run(["check", directory + "/policies"])
        #expect(unknown.status == 1)
        #expect(unknown.stdout.contains("which was not given: check with --config FILE"), "\(unknown.stdout)")

        try AccountsScenarioTests.policyFile.write(toFile: directory + "/policies/cart.yaml", atomically: true, encoding: .utf8)
        let valid = try await ReflexBinary.run(["check", directory + "/policies", "--config", directory + "/reflex.yaml"])
        #expect(valid.status == 0, "\(valid.stdout)")
    }
}
