import Foundation
import ReflexAudit
import ReflexCore
import ReflexTestSupport
import Testing

/// Fleet policies in the real daemon against the emulator: one policy over many tables or
/// services, its budget shared by the whole fleet, its fleet found again while it runs, and
/// only the instance whose metrics breach acted on. Each scenario prints its figures.
@Suite(.serialized)
struct FleetScenarioTests {
    typealias Running = DaemonTests.Running

    // MARK: Budget across a fleet

    /// A fleet policy over the tables tagged team: cart, firing on 5 minutes of throttling;
    /// `acting` adds the capacity action and the guardrails.
    static func fleetPolicy(_ name: String, acting: Bool) -> String {
        """
        policies:
          - name: \(name)
            mode: enforce
            metrics:
              throttles: { namespace: AWS/DynamoDB, metric: ThrottledRequests,
                           dimensions: { TableName: "${table}" }, stat: Sum, period: 1m }
            condition: throttles > 10
            for: 5m
            missing_data: not-breaching
            target:
              dynamodb_table: { tags: { team: cart } }

        """ + (acting ? """
                action:
                  dynamodb_capacity: { read: { factor: 2, max: 400 }, write: { factor: 2, max: 400 } }
                guardrails:
                  cooldown: 10m
                  max_actions: 2 per 1h

            """ : "")
    }

    static let throttlingPolicy = fleetPolicy("cart-tables-throttling", acting: true)

    @Test func theFleetBudgetRaisesTwoOfThreeThrottledTablesAndNeverOneOutsideTheFleet() async throws {
        let policy = "cart-tables-throttling"
        let emulator = try AWSEmulator.start()
        // 12 tables: 8 tagged team=cart; an untagged one named like them; tags that nearly match.
        let tagged = ["cart-orders", "cart-items", "cart-sessions", "cart-prices", "cart-events", "cart-promos", "cart-payments", "cart-wishlist"]
        let untagged = "cart-untagged"
        let others: [(name: String, tags: [String: String])] = [
            (untagged, [:]), ("search-index", ["team": "search"]), ("billing", ["team": "billing"]), ("inventory", ["team": "cart-ops"]),
        ]
        let throttled = Array(tagged.prefix(3))
        try await emulator.boto3(tagged.map { Self.createTable($0, tags: ["team": "cart"]) } + others.map { Self.createTable($0.name, tags: $0.tags) })
        #expect(try await Self.tableNames(emulator).count == 12)
        // The untagged table is throttled exactly like the tagged three, in the same series shape.
        let minutes = ScenarioTests.minutes(-2...10)
        try await emulator.putMetricData(namespace: "AWS/DynamoDB", series: (tagged + others.map(\.name)).map { table in
            SeededSeries(metric: "ThrottledRequests", dimensions: ["TableName": table],
                         points: minutes.map { ($0, throttled.contains(table) || table == untagged ? 40 : 0) })
        })
        // The first table read answers 1.5 s late, so that the firing tables' reads finish out
        // of order, as they may on AWS: the budget must hold whatever the order.
        try await emulator.inject([.init(target: "DynamoDB_20120810.DescribeTable", delay: 1.5)])
        try await emulator.startRecordingRequests()
        let started = Date()
        let daemon = try await Running(watchdog: false, world: emulator, edit: { $0 = ["cart-tables.yaml": Self.throttlingPolicy] })

        try await daemon.socket.wait(for: { $0.hasPrefix("STATUS=1 policies over 8 targets, 3 firing") })
        let executed = try await daemon.wait(for: "action-executed", policy: policy, count: 2)
        try await daemon.wait(for: "action-held", policy: policy) { $0.record.reason == "policy-budget" }
        let acted = Date()
        // A few more cycles: the held table stays held, nothing else is touched.
        for _ in 0..<4 { try await daemon.socket.wait(for: { $0.hasPrefix("STATUS=1 policies") }, after: daemon.socket.lines.count) }
        #expect(try await daemon.stop() == 0)

        // Exactly two of the three throttled tables were raised; the third was held by the
        // fleet's budget, once, with its target.
        let throttledIDs = Set(throttled.map { "dynamodb:\($0)" })
        let raised = try daemon.decisions("action-executed", policy: policy).compactMap(\.record.target)
        #expect(raised.count == 2, "\(raised)")
        #expect(try daemon.decisions("action-intent", policy: policy).count == 2)
        let budgetHeld = try daemon.decisions("action-held", policy: policy).filter { $0.record.reason == "policy-budget" }
        #expect(budgetHeld.count == 1)
        let heldTarget = try #require(budgetHeld.first?.record.target)
        #expect(!raised.contains(heldTarget))
        #expect(Set(raised + [heldTarget]) == throttledIDs)
        #expect(executed.allSatisfy { $0.record.detail == "capacity read 10 -> 20, write 10 -> 20" })
        // Raised means raised on AWS: DescribeTable shows it for those two tables and no other.
        for table in tagged + others.map(\.name) {
            let capacity = try await Self.capacity(emulator, table)
            let expected = raised.contains("dynamodb:\(table)") ? 20 : 10
            #expect(capacity.read == expected && capacity.write == expected, "\(table): \(capacity)")
        }
        #expect(try await emulator.calls()["DynamoDB_20120810.UpdateTable"] == 2)

        // The tagged tables were judged on data: the three throttled ones firing, the other five
        // ok with their zeros in the evidence.
        let changes = try daemon.decisions("state-change", policy: policy)
        #expect(Set(changes.filter { $0.record.stateTo == "firing" }.compactMap(\.record.target)) == throttledIDs)
        let quiet = Set(tagged.dropFirst(3).map { "dynamodb:\($0)" })
        let ok = changes.filter { $0.record.stateTo == "ok" }
        #expect(Set(ok.compactMap(\.record.target)) == quiet)
        for change in ok {
            let values = try Self.evidence(change, "throttles")
            #expect(Self.all(values, equal: 0), "\(change.record.target ?? ""): \(values)")
        }
        for change in changes where change.record.stateTo == "firing" {
            #expect(Self.all(try Self.evidence(change, "throttles"), equal: 40))
        }
        #expect(changes.count == 8)

        // The untagged table is not an instance: no decision names it, and no query ever asked
        // for its series, although the very query an instance would make finds it throttled.
        let all = try AuditReader(path: daemon.database).list(DecisionFilter(), limit: 10_000)
        #expect(!all.contains { $0.record.target == "dynamodb:\(untagged)" })
        let fetches = try await emulator.recordedParameters(of: "GetMetricData", as: GetMetricDataInput.self)
        let queried = Set(fetches.flatMap { $0.MetricDataQueries.flatMap { $0.MetricStat.Metric.Dimensions.map(\.Value) } })
        #expect(queried == Set(tagged))
        #expect(try await Self.sums(emulator, table: untagged, from: minutes.last!, to: minutes.first!).contains(40))
        // Every request Reflex made is a valid call of the AWS models.
        let problems = try await emulator.recordedRequests().filter { !$0.problems.isEmpty }
        #expect(problems.isEmpty, "\(problems)")

        // One GetMetricData call for the whole fleet at the start, then one for each minute
        // boundary the daemon saw, however many cycles (it polls every second): a cycle reports
        // STATUS= after its fetch; the stop may cut off one cycle between its fetch and its report.
        let reports = daemon.socket.lines.filter { $0.line.hasPrefix("STATUS=1 policies over") }
        let cycles = reports.count
        #expect(cycles >= 5)
        let boundaries = reports.last.map { last in Int(last.at.timeIntervalSince1970 / 60) - Int(reports[0].at.timeIntervalSince1970 / 60) } ?? 0
        #expect(fetches.count == 1 + boundaries || fetches.count == 2 + boundaries,
                "\(fetches.count) GetMetricData calls in \(cycles) cycles over \(boundaries) minute boundaries")
        #expect(fetches.allSatisfy { $0.MetricDataQueries.count == 8 })
        print(String(format: "SCENARIO fleet budget: start -> 2 actions and the budget hold %.1f s; %d GetMetricData calls (8 queries each) in %d cycles",
                     acted.timeIntervalSince(started), fetches.count, cycles))
    }

    // MARK: Discovery while running

    static let notifyOnlyPolicy = fleetPolicy("cart-fleet-watch", acting: false)

    @Test func theFleetFollowsTablesCreatedAndDeletedAndKeepsItsMembersWhileDiscoveryFails() async throws {
        let policy = "cart-fleet-watch"
        let emulator = try AWSEmulator.start()
        try await emulator.boto3(["cart-a", "cart-b", "cart-c"].map { Self.createTable($0, tags: ["team": "cart"]) })
        // Data for the whole run: zeros for the first three, throttling for the table to come.
        let minutes = ScenarioTests.minutes(-3...10)
        try await emulator.putMetricData(namespace: "AWS/DynamoDB", series: ["cart-a", "cart-b", "cart-c", "cart-new"].map { table in
            SeededSeries(metric: "ThrottledRequests", dimensions: ["TableName": table], points: minutes.map { ($0, table == "cart-new" ? 40 : 0) })
        })
        let daemon = try await Running(watchdog: false, world: emulator, edit: { $0 = ["cart-fleet.yaml": Self.notifyOnlyPolicy] },
                                       config: "discovery_interval: 10s\n")
        try await daemon.socket.wait(for: { $0.hasPrefix("STATUS=1 policies over 3 targets, 0 firing") })

        // A table created, then tagged, while the daemon runs.
        struct Created: Decodable { struct Table: Decodable { let TableArn: String }; let TableDescription: Table }
        let arn = try await emulator.boto3(Self.createTable("cart-new", tags: [:]), as: Created.self).TableDescription.TableArn
        // Taken before the tag is sent: on a loaded machine the daemon may find the tag before
        // the emulator's answer to the tagging call comes back.
        let tagged = Date()
        try await emulator.boto3([Boto3Call("dynamodb", "tag_resource", json(["ResourceArn": arn, "Tags": [["Key": "team", "Value": "cart"]]]))])
        let added = try #require(try await daemon.wait(for: "fleet-changed", policy: policy) {
            $0.record.reason == "instance-added" && $0.record.detail?.contains("dynamodb:cart-new") == true
        }.first)
        let pickup = added.record.at.timeIntervalSince(tagged)
        #expect(pickup > 0, "added \(added.record.at), before it was tagged at \(tagged)")
        #expect(added.record.detail?.hasPrefix("1 instance(s) added") == true)
        // Judged in the same cycle, on its data: from insufficient-data to firing.
        let judged = try #require(try await daemon.wait(for: "state-change", policy: policy) { $0.record.target == "dynamodb:cart-new" }.first)
        #expect(judged.record.stateFrom == "insufficient-data" && judged.record.stateTo == "firing")
        #expect(judged.record.at == added.record.at)
        #expect(Self.all(try Self.evidence(judged, "throttles"), equal: 40))
        try await daemon.socket.wait(for: { $0.hasPrefix("STATUS=1 policies over 4 targets, 1 firing") })

        // The tagging API throttles for two discovery rounds (three attempts each), and a table
        // is deleted meanwhile: the last known fleet is kept, deleted table included.
        try await emulator.inject([.init(target: "ResourceGroupsTaggingAPI_20170126.GetResources", status: 400, code: "ThrottlingException", count: 6)])
        try await emulator.boto3([Boto3Call("dynamodb", "delete_table", json(["TableName": "cart-c"]))])
        let failed = try #require(try await daemon.wait(for: "fleet-changed", policy: policy, timeout: 20) { $0.record.reason == "discovery-failed" }.first)
        #expect(failed.record.detail?.contains("ThrottlingException") == true, "\(failed.record.detail ?? "")")
        #expect(failed.record.detail?.contains("keeping the last 4 known instance(s)") == true)
        let failingMark = daemon.socket.lines.count
        try await daemon.socket.wait(for: { $0.hasPrefix("STATUS=1 policies over 4 targets, 1 firing") && $0.contains("discovery failing (last known fleet kept)") },
                                     after: failingMark)
        let recovered = try #require(try await daemon.wait(for: "fleet-changed", policy: policy, timeout: 30) { $0.record.reason == "discovery-recovered" }.first)
        // The second failing round came and went without a record of its own.
        #expect(try await emulator.calls()["ResourceGroupsTaggingAPI_20170126.GetResources", default: 0] >= 1 + 1 + 6 + 1)
        #expect(recovered.record.at.timeIntervalSince(failed.record.at) >= 15, "failed \(failed.record.at), recovered \(recovered.record.at)")
        // Every report while failing said so.
        let whileFailing = daemon.socket.lines.filter { $0.at > failed.record.at.addingTimeInterval(0.5) && $0.at < recovered.record.at }
            .filter { $0.line.hasPrefix("STATUS=1 policies") }
        #expect(whileFailing.count >= 5)
        #expect(whileFailing.allSatisfy { $0.line.contains("over 4 targets") && $0.line.contains("discovery failing") }, "\(whileFailing.map(\.line))")

        // Recovered: the deleted table is recorded once as removed, and dropped.
        try await daemon.socket.wait(for: { $0.hasPrefix("STATUS=1 policies over 3 targets, 1 firing") && !$0.contains("discovery failing") },
                                     after: failingMark)
        for _ in 0..<3 { try await daemon.socket.wait(for: { $0.hasPrefix("STATUS=1 policies") }, after: daemon.socket.lines.count) }
        #expect(try await daemon.stop() == 0)

        let fleet = try daemon.decisions("fleet-changed", policy: policy)
        #expect(fleet.map(\.record.reason) == ["instance-added", "instance-added", "discovery-failed", "discovery-recovered", "instance-removed"])
        let removed = fleet.filter { $0.record.reason == "instance-removed" }
        #expect(removed.map(\.record.target) == ["dynamodb:cart-c"])
        #expect(removed.first?.record.at == recovered.record.at)
        // Nobody changed state because of the failure: the only state changes are the first
        // judgements of the four tables.
        let changes = try daemon.decisions("state-change", policy: policy)
        #expect(changes.map { "\($0.record.target ?? "") \($0.record.stateTo ?? "")" }.sorted()
            == ["dynamodb:cart-a ok", "dynamodb:cart-b ok", "dynamodb:cart-c ok", "dynamodb:cart-new firing"])
        #expect(!changes.contains { $0.record.at > added.record.at && $0.record.target != "dynamodb:cart-new" })
        // And each was judged ok on its zeros, not for want of data.
        for change in changes where change.record.stateTo == "ok" {
            #expect(Self.all(try Self.evidence(change, "throttles"), equal: 0), "\(change.record.target ?? "")")
        }
        print(String(format: "SCENARIO fleet discovery: a tagged table judged %.1f s after it was tagged (interval 10 s); discovery failed for %.1f s, recorded once",
                     pickup, recovered.record.at.timeIntervalSince(failed.record.at)))
    }

    // MARK: Two services behind one ALB

    static let rollbackPolicy = """
        policies:
          - name: shop-rollback-on-5xx
            mode: enforce
            metrics:
              errors:   { namespace: AWS/ApplicationELB, metric: HTTPCode_Target_5XX_Count,
                          dimensions: { TargetGroup: "${target_group}", LoadBalancer: "${load_balancer}" }, stat: Sum, period: 1m }
              requests: { namespace: AWS/ApplicationELB, metric: RequestCount,
                          dimensions: { TargetGroup: "${target_group}", LoadBalancer: "${load_balancer}" }, stat: Sum, period: 1m }
            condition: fill(errors, 0) / requests > 0.01
            for: 3m
            missing_data: not-breaching
            target:
              ecs_service: { cluster: shop, tags: { team: cart } }
            action:
              ecs_rollback: { to: previous-revision }
            guardrails:
              cooldown: 1h
              max_actions: 2 per 24h

        """

    @Test func onlyTheServiceWhoseTargetGroupFailsIsRolledBack() async throws {
        let policy = "shop-rollback-on-5xx"
        let emulator = try AWSEmulator.start()
        let world = try await Self.shop(emulator)
        // 6% of cart's requests fail; web's none, and its zeros are there to be read.
        let minutes = ScenarioTests.minutes(-2...10)
        var series: [SeededSeries] = []
        for (service, errors) in [("cart", 60.0), ("web", 0.0)] {
            let dimensions = [(name: "TargetGroup", value: world.targetGroups[service]!), (name: "LoadBalancer", value: world.loadBalancer)]
            // In both orders: moto matches dimensions only in the order they were put.
            for order in [dimensions, dimensions.reversed()] {
                series.append(SeededSeries(metric: "RequestCount", orderedDimensions: order, points: minutes.map { ($0, 1000) }))
                series.append(SeededSeries(metric: "HTTPCode_Target_5XX_Count", orderedDimensions: order, points: minutes.map { ($0, errors) }))
            }
        }
        try await emulator.putMetricData(namespace: "AWS/ApplicationELB", series: series)
        let started = Date()
        let daemon = try await Running(watchdog: false, world: emulator, edit: { $0 = ["shop-rollback.yaml": Self.rollbackPolicy] })

        let executed = try await daemon.wait(for: "action-executed", policy: policy)
        let acted = Date()
        #expect(executed.map(\.record.target) == ["ecs:shop/cart"])
        #expect(executed.first?.record.detail == "task definition revision 2 -> 1")
        for _ in 0..<3 { try await daemon.socket.wait(for: { $0.hasPrefix("STATUS=1 policies over 2 targets") }, after: daemon.socket.lines.count) }
        #expect(try await daemon.stop() == 0)

        // cart went down one revision; web still runs what it ran.
        #expect(try await Self.taskDefinition(emulator, "cart").hasSuffix("cart:1"))
        #expect(try await Self.taskDefinition(emulator, "web") == world.taskDefinitions["web"])
        #expect(try await emulator.calls()["AmazonEC2ContainerServiceV20141113.UpdateService"] == 1)
        // web was judged ok on its data, and nothing but that was ever decided about it.
        let web = try AuditReader(path: daemon.database).list(DecisionFilter(target: "ecs:shop/web"), limit: 1000)
        #expect(web.map(\.record.kind.rawValue) == ["state-change"])
        #expect(web.first?.record.stateTo == "ok")
        if let judged = web.first {
            #expect(Self.all(try Self.evidence(judged, "requests"), equal: 1000))
            #expect(Self.all(try Self.evidence(judged, "errors"), equal: 0))
        }
        let cart = try daemon.decisions("state-change", policy: policy).filter { $0.record.target == "ecs:shop/cart" }
        #expect(cart.map(\.record.stateTo) == ["firing"])
        if let firing = cart.first { #expect(Self.all(try Self.evidence(firing, "errors"), equal: 60)) }
        print(String(format: "SCENARIO fleet rollback: start -> rollback of the failing service %.1f s", acted.timeIntervalSince(started)))
    }

    // MARK: The worlds

    /// A cluster `shop` with services `cart` and `web` tagged team=cart, each on revision 2 of
    /// its own task definition family and behind its own target group of one ALB.
    struct Shop {
        /// The ALB in CloudWatch's dimension form (`app/shop-alb/ID`).
        let loadBalancer: String
        /// Each service's target group in CloudWatch's dimension form (`targetgroup/NAME/ID`).
        let targetGroups: [String: String]
        /// The task definition ARN each service runs.
        let taskDefinitions: [String: String]
    }

    static func shop(_ emulator: AWSEmulator) async throws -> Shop {
        struct Vpc: Decodable { struct Inner: Decodable { let VpcId: String }; let Vpc: Inner }
        struct Subnet: Decodable { struct Inner: Decodable { let SubnetId: String }; let Subnet: Inner }
        struct LoadBalancers: Decodable { struct Inner: Decodable { let LoadBalancerArn: String }; let LoadBalancers: [Inner] }
        struct TargetGroups: Decodable { struct Inner: Decodable { let TargetGroupArn: String }; let TargetGroups: [Inner] }
        struct Listeners: Decodable { struct Inner: Decodable { let ListenerArn: String }; let Listeners: [Inner] }
        struct Registered: Decodable { struct Inner: Decodable { let taskDefinitionArn: String }; let taskDefinition: Inner }

        let vpc = try await emulator.boto3(Boto3Call("ec2", "create_vpc", json(["CidrBlock": "10.0.0.0/16"])), as: Vpc.self).Vpc.VpcId
        var subnets: [String] = []
        for (index, zone) in ["us-east-1a", "us-east-1b"].enumerated() {
            subnets.append(try await emulator.boto3(Boto3Call("ec2", "create_subnet", json(["VpcId": vpc, "CidrBlock": "10.0.\(index + 1).0/24", "AvailabilityZone": zone])),
                                                    as: Subnet.self).Subnet.SubnetId)
        }
        let loadBalancer = try await emulator.boto3(Boto3Call("elbv2", "create_load_balancer", json(["Name": "shop-alb", "Subnets": subnets])),
                                                    as: LoadBalancers.self).LoadBalancers[0].LoadBalancerArn
        var targetGroups: [String: String] = [:]
        for service in ["cart", "web"] {
            targetGroups[service] = try await emulator.boto3(Boto3Call("elbv2", "create_target_group", json([
                "Name": "\(service)-tg", "Protocol": "HTTP", "Port": 80, "VpcId": vpc, "TargetType": "ip",
            ])), as: TargetGroups.self).TargetGroups[0].TargetGroupArn
        }
        // cart's target group by default, web's for /web/*.
        let listener = try await emulator.boto3(Boto3Call("elbv2", "create_listener", json([
            "LoadBalancerArn": loadBalancer, "Protocol": "HTTP", "Port": 80,
            "DefaultActions": [["Type": "forward", "TargetGroupArn": targetGroups["cart"]!]],
        ])), as: Listeners.self).Listeners[0].ListenerArn
        try await emulator.boto3([Boto3Call("elbv2", "create_rule", json([
            "ListenerArn": listener, "Priority": 1, "Conditions": [["Field": "path-pattern", "Values": ["/web/*"]]],
            "Actions": [["Type": "forward", "TargetGroupArn": targetGroups["web"]!]],
        ]))])

        try await emulator.boto3([Boto3Call("ecs", "create_cluster", json(["clusterName": "shop"]))])
        var taskDefinitions: [String: String] = [:]
        for service in ["cart", "web"] {
            for version in 1...2 {
                taskDefinitions[service] = try await emulator.boto3(Boto3Call("ecs", "register_task_definition", json([
                    "family": service, "containerDefinitions": [["name": "app", "image": "\(service):\(version)", "memory": 256]],
                ])), as: Registered.self).taskDefinition.taskDefinitionArn
            }
            try await emulator.boto3([Boto3Call("ecs", "create_service", json([
                "cluster": "shop", "serviceName": service, "taskDefinition": taskDefinitions[service]!, "desiredCount": 2,
                "tags": [["key": "team", "value": "cart"]],
                "loadBalancers": [["targetGroupArn": targetGroups[service]!, "containerName": "app", "containerPort": 80]],
            ]))])
        }
        #expect(taskDefinitions.values.allSatisfy { $0.hasSuffix(":2") })
        return Shop(loadBalancer: String(loadBalancer.components(separatedBy: ":loadbalancer/")[1]),
                    targetGroups: targetGroups.mapValues { String($0.split(separator: ":").last!) }, taskDefinitions: taskDefinitions)
    }

    /// A provisioned table (10 read, 10 write) with `tags`.
    static func createTable(_ name: String, tags: [String: String]) -> Boto3Call {
        var parameters: [String: Any] = [
            "TableName": name, "ProvisionedThroughput": ["ReadCapacityUnits": 10, "WriteCapacityUnits": 10],
            "KeySchema": [["AttributeName": "id", "KeyType": "HASH"]], "AttributeDefinitions": [["AttributeName": "id", "AttributeType": "S"]],
        ]
        if !tags.isEmpty { parameters["Tags"] = tags.sorted { $0.key < $1.key }.map { ["Key": $0.key, "Value": $0.value] } }
        return Boto3Call("dynamodb", "create_table", json(parameters))
    }

    static func tableNames(_ emulator: AWSEmulator) async throws -> [String] {
        struct Tables: Decodable { let TableNames: [String] }
        return try await emulator.boto3(Boto3Call("dynamodb", "list_tables"), as: Tables.self).TableNames
    }

    static func capacity(_ emulator: AWSEmulator, _ table: String) async throws -> (read: Int, write: Int) {
        struct Described: Decodable {
            struct Table: Decodable {
                struct Throughput: Decodable { let ReadCapacityUnits: Int; let WriteCapacityUnits: Int }
                let ProvisionedThroughput: Throughput
            }
            let Table: Table
        }
        let throughput = try await emulator.boto3(Boto3Call("dynamodb", "describe_table", json(["TableName": table])), as: Described.self)
            .Table.ProvisionedThroughput
        return (throughput.ReadCapacityUnits, throughput.WriteCapacityUnits)
    }

    static func taskDefinition(_ emulator: AWSEmulator, _ service: String) async throws -> String {
        struct Described: Decodable { struct Service: Decodable { let taskDefinition: String }; let services: [Service] }
        return try await emulator.boto3(Boto3Call("ecs", "describe_services", json(["cluster": "shop", "services": [service]])),
                                        as: Described.self).services.first?.taskDefinition ?? ""
    }

    /// The one-minute sums of `table`'s ThrottledRequests between `from` and `to`, asked the way
    /// a fleet instance asks.
    static func sums(_ emulator: AWSEmulator, table: String, from: Date, to: Date) async throws -> [Double] {
        struct Output: Decodable { struct Result: Decodable { let Values: [Double] }; let MetricDataResults: [Result] }
        let query: [String: Any] = ["Id": "q0", "MetricStat": [
            "Metric": ["Namespace": "AWS/DynamoDB", "MetricName": "ThrottledRequests", "Dimensions": [["Name": "TableName", "Value": table]]],
            "Period": 60, "Stat": "Sum",
        ]]
        return try await emulator.boto3(Boto3Call("cloudwatch", "get_metric_data", json([
            "MetricDataQueries": [query], "StartTime": Int(from.timeIntervalSince1970), "EndTime": Int(to.timeIntervalSince1970) + 60,
        ])), as: Output.self).MetricDataResults.flatMap(\.Values)
    }

    /// The values of `metric` in each period of a decision's evidence, newest first (nil where
    /// the period had no data).
    static func evidence(_ decision: StoredDecision, _ metric: String) throws -> [Double?] {
        struct Evidence: Decodable { struct Period: Decodable { let values: [String: Double?] }; let periods: [Period] }
        let text = try #require(decision.record.evidence, "no evidence in \(decision.record.kind.rawValue) of \(decision.record.target ?? "")")
        return try JSONDecoder().decode(Evidence.self, from: Data(text.utf8)).periods.map { $0.values[metric] ?? nil }
    }

    /// Whether there are values and every one is `value`: no evidence at all proves nothing.
    static func all(_ values: [Double?], equal value: Double) -> Bool {
        !values.isEmpty && values.allSatisfy { $0 == value }
    }
}

/// The parts of a GetMetricData request these tests read.
struct GetMetricDataInput: Decodable, Sendable {
    struct Query: Decodable, Sendable {
        struct Stat: Decodable, Sendable {
            struct Metric: Decodable, Sendable {
                struct Dimension: Decodable, Sendable { let Name: String; let Value: String }
                let Dimensions: [Dimension]
            }
            let Metric: Metric
        }
        let MetricStat: Stat
    }
    let MetricDataQueries: [Query]
}

/// `parameters` as a JSON object, for a boto3 call.
private func json(_ parameters: [String: Any]) -> String {
    String(decoding: try! JSONSerialization.data(withJSONObject: parameters, options: [.sortedKeys]), as: UTF8.self)
}
