import Foundation
import Logging
import ReflexAWS
import ReflexCore
import ReflexHTTP
import ReflexTestSupport
import Testing

/// Fleet discovery against the emulator: tables and services found by tag or by name, across
/// pages; only the selector's cluster; the `target_group` and `load_balancer` variables of
/// services behind an ALB; and every request a valid call of the official AWS model.
@Suite(.serialized)
struct ResourceDiscoveryTests {
    typealias World = DiscoveryWorld

    func discovery(_ world: World) -> AWSResourceDiscovery {
        let emulator = world.emulator
        return AWSResourceDiscovery(
            tagging: ResourceGroupsTaggingClient(client: emulator.client(.resourceGroupsTagging)),
            dynamoDB: DynamoDBClient(client: emulator.client(.dynamoDB)), ecs: ECSClient(client: emulator.client(.ecs)),
            loadBalancing: ElasticLoadBalancingClient(client: emulator.client(.elasticLoadBalancingV2)))
    }

    /// Requests per operation name (the part after the `X-Amz-Target` prefix, or the query Action).
    func calls(_ world: World) async throws -> [String: Int] {
        var calls: [String: Int] = [:]
        for (operation, count) in try await world.emulator.calls() {
            calls[String(operation.split(separator: ".").last ?? Substring(operation)), default: 0] += count
        }
        return calls
    }

    func names(_ members: [FleetMember]) -> Set<String> { Set(members.map(\.name)) }

    // MARK: DynamoDB

    @Test func aTagSelectorFindsExactlyTheTaggedTables() async throws {
        let world = try await World.shared()
        _ = try await world.emulator.calls(reset: true)
        let selector = TargetSelector(kind: .dynamoDBTable, tags: ["team": "cart"], name: Glob("cart-*"), exclude: ["cart-legacy"])
        let candidates = try await discovery(world).candidates(for: selector, variables: ["table"])

        // The 8 tables tagged team=cart, not the untagged one, nor team=cart-ops or team=search.
        #expect(names(candidates) == Set(World.cartTables))
        #expect(candidates.count == 8)
        for member in candidates {
            #expect(member.tags == ["team": "cart", "env": "prod"], "\(member.name)")
            #expect(member.variables == ["table": member.name])
        }
        // The selector's name glob and exclusion make the final choice.
        #expect(selector.select(candidates).map(\.name) == ["cart-events", "cart-items", "cart-orders", "cart-prices", "cart-promos", "cart-sessions"])
        let calls = try await calls(world)
        #expect(calls["GetResources"] == 1)
        #expect(calls["ListTables"] == nil)
    }

    @Test func aTagListingFollowsEveryPage() async throws {
        let world = try await World.shared()
        _ = try await world.emulator.calls(reset: true)
        let candidates = try await discovery(world).candidates(for: TargetSelector(kind: .dynamoDBTable, tags: ["fleet": "bulk"]), variables: [])
        // 100 tables take more than one GetResources page (moto fills a page with 99 of them).
        #expect(names(candidates) == Set(World.bulkTables))
        #expect(try await calls(world)["GetResources", default: 0] >= 2)
    }

    @Test func aNameSelectorListsEveryTableAcrossPages() async throws {
        let world = try await World.shared()
        _ = try await world.emulator.calls(reset: true)
        let selector = TargetSelector(kind: .dynamoDBTable, name: Glob("cart-*"))
        let candidates = try await discovery(world).candidates(for: selector, variables: ["table"])

        // All 112 tables, 100 to a ListTables page: two pages, no tags read.
        #expect(names(candidates) == Set(World.allTables))
        #expect(candidates.count == World.allTables.count)
        #expect(candidates.allSatisfy { $0.tags.isEmpty })
        let calls = try await calls(world)
        #expect(calls["ListTables"] == 2)
        #expect(calls["GetResources"] == nil)
        #expect(selector.select(candidates).map(\.name) == [
            "cart-events", "cart-items", "cart-legacy", "cart-orders", "cart-prices", "cart-promos", "cart-search", "cart-sessions", "cart-untagged",
        ])
    }

    // MARK: ECS

    @Test func anECSTagSelectorKeepsToItsCluster() async throws {
        let world = try await World.shared()
        let shop = try await discovery(world).candidates(for: TargetSelector(kind: .ecsService, cluster: "shop", tags: ["team": "cart"]), variables: [])
        // eu-shop has a service named cart too, tagged alike: it is not shop's.
        #expect(names(shop) == ["cart", "web", "worker", "orphan", "ghost"])
        #expect(shop.count == 5)
        #expect(shop.allSatisfy { $0.variables["cluster"] == "shop" && $0.tags == ["team": "cart"] })
        #expect(shop.allSatisfy { $0.target == .ecsService(cluster: "shop", service: $0.name) })

        let euShop = try await discovery(world).candidates(for: TargetSelector(kind: .ecsService, cluster: "eu-shop", tags: ["team": "cart"]), variables: [])
        #expect(names(euShop) == ["cart", "eu-web"])
        #expect(euShop.allSatisfy { $0.variables["cluster"] == "eu-shop" })
    }

    @Test func anECSNameSelectorListsOnlyItsClustersServices() async throws {
        let world = try await World.shared()
        // moto's ListServices matches the cluster by substring: for shop it also lists eu-shop's
        // services. AWS does not; Reflex drops them either way.
        let listed = try await world.emulator.boto3(Boto3Call("ecs", "list_services", json(["cluster": "shop"])), as: ServiceARNs.self)
        #expect(listed.serviceArns.contains { $0.hasSuffix(":service/eu-shop/eu-web") })

        _ = try await world.emulator.calls(reset: true)
        let candidates = try await discovery(world).candidates(for: TargetSelector(kind: .ecsService, cluster: "shop"), variables: [])
        #expect(names(candidates) == ["cart", "web", "worker", "orphan", "ghost", "search", "legacy-shop"])
        #expect(candidates.count == 7)
        #expect(candidates.allSatisfy { $0.variables["cluster"] == "shop" && $0.tags.isEmpty })
        let calls = try await calls(world)
        #expect(calls["ListServices"] == 1)
        #expect(calls["GetResources"] == nil)
    }

    @Test func servicesBehindTargetGroupsCarryTheirDimensions() async throws {
        let world = try await World.shared()
        _ = try await world.emulator.calls(reset: true)
        let candidates = try await discovery(world).candidates(
            for: TargetSelector(kind: .ecsService, cluster: "shop", tags: ["team": "cart"]), variables: ["load_balancer", "target_group"])
        let byName = Dictionary(uniqueKeysWithValues: candidates.map { ($0.name, $0.variables) })
        // CloudWatch's forms: the target group ARN after its last `:`, the load balancer ARN
        // after `loadbalancer/`.
        func dimension(_ targetGroup: String) -> String { String(world.targetGroups[targetGroup]!.split(separator: ":").last!) }
        let loadBalancer = String(world.loadBalancer.components(separatedBy: ":loadbalancer/")[1])
        #expect(loadBalancer.hasPrefix("app/shop-alb/"))
        #expect(dimension("cart-tg").hasPrefix("targetgroup/cart-tg/"))

        #expect(byName["cart"] == ["cluster": "shop", "service": "cart", "target_group": dimension("cart-tg"), "load_balancer": loadBalancer])
        #expect(byName["web"] == ["cluster": "shop", "service": "web", "target_group": dimension("web-tg"), "load_balancer": loadBalancer])
        // No load balancer at all: neither variable, and no error.
        #expect(byName["worker"] == ["cluster": "shop", "service": "worker"])
        // A target group no load balancer routes to yet: the target group only.
        #expect(byName["orphan"] == ["cluster": "shop", "service": "orphan", "target_group": dimension("orphan-tg")])
        // A target group deleted since the service named it: ELBv2 no longer knows its load
        // balancer; the other target groups are still found.
        #expect(byName["ghost"] == ["cluster": "shop", "service": "ghost", "target_group": dimension("gone-tg")])

        let calls = try await calls(world)
        #expect(calls["DescribeServices"] == 1)
        // One call for the four target groups fails on the deleted one; then one call each.
        #expect(calls["DescribeTargetGroups"] == 5)
    }

    @Test func aServiceWithoutALoadBalancerHasNoSuchVariables() async throws {
        let world = try await World.shared()
        let candidates = try await discovery(world).candidates(
            for: TargetSelector(kind: .ecsService, cluster: "shop", tags: ["team": "search"]), variables: ["load_balancer", "target_group"])
        #expect(candidates.map(\.variables) == [["cluster": "shop", "service": "search"]])
    }

    @Test func onlyTheVariablesAskedForAreRead() async throws {
        let world = try await World.shared()
        let selector = TargetSelector(kind: .ecsService, cluster: "shop", tags: ["team": "cart"])

        _ = try await world.emulator.calls(reset: true)
        let targetGroupsOnly = try await discovery(world).candidates(for: selector, variables: ["target_group", "service"])
        #expect(targetGroupsOnly.first { $0.name == "cart" }?.variables["target_group"]?.hasPrefix("targetgroup/cart-tg/") == true)
        #expect(targetGroupsOnly.allSatisfy { $0.variables["load_balancer"] == nil })
        var calls = try await calls(world)
        #expect(calls["DescribeServices"] == 1)
        // The target group is in the service's description: ELBv2 is not asked.
        #expect(calls["DescribeTargetGroups"] == nil)

        _ = try await world.emulator.calls(reset: true)
        let neither = try await discovery(world).candidates(for: selector, variables: ["cluster", "service"])
        #expect(neither.count == 5)
        #expect(neither.allSatisfy { $0.variables["target_group"] == nil && $0.variables["load_balancer"] == nil })
        calls = try await self.calls(world)
        #expect(calls["DescribeServices"] == nil)
        #expect(calls["DescribeTargetGroups"] == nil)
    }

    @Test func manyServicesAreDescribedTenAtATime() async throws {
        let world = try await World.shared()
        _ = try await world.emulator.calls(reset: true)
        let candidates = try await discovery(world).candidates(for: TargetSelector(kind: .ecsService, cluster: "fleet"), variables: ["target_group"])
        #expect(names(candidates) == Set(World.fleetServices))
        // The twelfth service is in the second DescribeServices call.
        let targetGroup = String(world.targetGroups["web-tg"]!.split(separator: ":").last!)
        #expect(candidates.first { $0.name == "svc-12" }?.variables["target_group"] == targetGroup)
        #expect(candidates.filter { $0.variables["target_group"] != nil }.map(\.name) == ["svc-12"])
        #expect(try await calls(world)["DescribeServices"] == 2)
    }

    @Test func oldFormatServiceARNsAreMatchedThroughTheClustersListing() async throws {
        let world = try await World.shared()
        // With the long ARN format off, moto names every service `service/NAME`, as AWS still
        // does for services created before the format existed.
        try await world.emulator.boto3([Boto3Call("ecs", "put_account_setting", json(["name": "serviceLongArnFormat", "value": "disabled"]))])
        let outcome: Result<([FleetMember], [FleetMember], [String]), any Error>
        do {
            let tagged = try await world.emulator.boto3(
                Boto3Call("resourcegroupstaggingapi", "get_resources", json(["ResourceTypeFilters": ["ecs:service"], "TagFilters": [["Key": "team", "Values": ["legacy"]]]])),
                as: TaggedResources.self).ResourceTagMappingList.map(\.ResourceARN)
            let shop = try await discovery(world).candidates(for: TargetSelector(kind: .ecsService, cluster: "shop", tags: ["team": "legacy"]), variables: [])
            let depot = try await discovery(world).candidates(for: TargetSelector(kind: .ecsService, cluster: "depot", tags: ["team": "legacy"]), variables: [])
            outcome = .success((shop, depot, tagged))
        } catch {
            outcome = .failure(error)
        }
        // The other tests read the long format: put it back whatever happened.
        try await world.emulator.boto3([Boto3Call("ecs", "put_account_setting", json(["name": "serviceLongArnFormat", "value": "enabled"]))])
        let (shop, depot, tagged) = try outcome.get()

        #expect(tagged.sorted() == ["arn:aws:ecs:us-east-1:123456789012:service/legacy-depot", "arn:aws:ecs:us-east-1:123456789012:service/legacy-shop"])
        #expect(shop.map(\.target) == [.ecsService(cluster: "shop", service: "legacy-shop")])
        #expect(shop.first?.tags == ["team": "legacy"])
        #expect(depot.map(\.target) == [.ecsService(cluster: "depot", service: "legacy-depot")])
    }

    // MARK: Failures

    @Test func aThrottledLoadBalancerCallIsRetriedAndADeniedOneFailsDiscovery() async throws {
        let world = try await World.shared()
        let selector = TargetSelector(kind: .ecsService, cluster: "shop", tags: ["team": "cart"])

        try await world.emulator.inject([.init(target: "DescribeTargetGroups", status: 400, code: "Throttling")])
        _ = try await world.emulator.calls(reset: true)
        let retried = try await discovery(world).candidates(for: selector, variables: ["load_balancer"])
        #expect(retried.first { $0.name == "cart" }?.variables["load_balancer"]?.hasPrefix("app/shop-alb/") == true)
        #expect(try await calls(world)["DescribeTargetGroups"] == 6)

        // A listing that fails is an error, never a fleet without those members. The query
        // protocol's error is XML.
        try await world.emulator.inject([.init(target: "DescribeTargetGroups", status: 403, code: "AccessDenied")])
        await #expect {
            _ = try await discovery(world).candidates(for: selector, variables: ["load_balancer"])
        } throws: { error in
            guard case let .service(code, message, status, requestID)? = error as? AWSError else { return false }
            return code == "AccessDenied" && message == "injected fault" && status == 403 && requestID == "injected-request"
        }
    }

    @Test func xmlErrorsAreReadWithTheirEntitiesAndCDATA() async throws {
        let world = try await World.shared()
        let error = "<ErrorResponse><Error><Type>Sender</Type><Code>AccessDenied</Code>"
            + "<Message><![CDATA[user <reflex>]]> &amp; policy</Message></Error><RequestId>request-7</RequestId></ErrorResponse>"
        try await world.emulator.inject([.init(target: "DescribeTargetGroups", status: 403, body: error)])
        await #expect {
            _ = try await discovery(world).candidates(for: TargetSelector(kind: .ecsService, cluster: "shop", tags: ["team": "cart"]), variables: ["load_balancer"])
        } throws: { error in
            (error as? AWSError) == .service(code: "AccessDenied", message: "user <reflex> & policy", status: 403, requestID: "request-7")
        }
    }

    @Test func unreadableLoadBalancerRepliesFailDiscovery() async throws {
        let world = try await World.shared()
        let selector = TargetSelector(kind: .ecsService, cluster: "shop", tags: ["team": "cart"])
        let deep = String(repeating: "<a>", count: 40) + String(repeating: "</a>", count: 40)
        for (body, expected) in [("{\"TargetGroups\": []}", "not XML"), (deep, "nested deeper than 32 levels"),
                                 ("<Other><TargetGroups/></Other>", "no DescribeTargetGroupsResult")] {
            try await world.emulator.inject([.init(target: "DescribeTargetGroups", body: body)])
            await #expect {
                _ = try await discovery(world).candidates(for: selector, variables: ["load_balancer"])
            } throws: { error in
                guard case let .invalidResponse(message)? = error as? AWSError else { return false }
                return message.contains(expected)
            }
        }
    }

    @Test func aFailedTagListingFailsDiscovery() async throws {
        let world = try await World.shared()
        try await world.emulator.inject([.init(target: "GetResources", status: 400, code: "InvalidParameterException")])
        await #expect {
            _ = try await discovery(world).candidates(for: TargetSelector(kind: .dynamoDBTable, tags: ["team": "cart"]), variables: [])
        } throws: { error in
            (error as? AWSError)?.code == "InvalidParameterException"
        }
    }

    // MARK: The AWS models

    @Test func requestsAreValidCallsOfTheAWSModels() async throws {
        let world = try await World.shared()
        try await world.emulator.startRecordingRequests()
        let discovery = discovery(world)
        _ = try await discovery.candidates(for: TargetSelector(kind: .dynamoDBTable, tags: ["team": "cart", "env": "prod"]), variables: ["table"])
        _ = try await discovery.candidates(for: TargetSelector(kind: .dynamoDBTable, tags: ["fleet": "bulk"]), variables: [])
        _ = try await discovery.candidates(for: TargetSelector(kind: .dynamoDBTable), variables: [])
        _ = try await discovery.candidates(for: TargetSelector(kind: .ecsService, cluster: "shop", tags: ["team": "cart"]),
                                           variables: ["load_balancer", "target_group"])
        _ = try await discovery.candidates(for: TargetSelector(kind: .ecsService, cluster: "shop"), variables: ["target_group"])
        _ = try await discovery.candidates(for: TargetSelector(kind: .ecsService, cluster: "fleet"), variables: ["target_group"])
        let recorded = try await world.emulator.recordedRequests()

        #expect(Set(recorded.map(\.operation)) == ["GetResources", "ListTables", "ListServices", "DescribeServices", "DescribeTargetGroups"])
        // Paging requests (with a token or start key) and the one-by-one retries are among them.
        #expect(recorded.filter { $0.operation == "GetResources" }.count >= 4)
        #expect(recorded.filter { $0.operation == "ListTables" }.count == 2)
        #expect(recorded.filter { $0.operation == "DescribeTargetGroups" }.count == 5)
        #expect(recorded.filter { $0.operation == "DescribeServices" }.count == 4)
        for request in recorded {
            #expect(request.problems.isEmpty, "\(request)")
        }
    }

    @Test func theModelCheckRefusesInvalidRequests() async throws {
        // Without this, a check that passed everything would pass the test above.
        let world = try await World.shared()
        try await world.emulator.startRecordingRequests()
        struct TooLong: Encodable, Sendable { let Limit: Int; let Prefix: String }
        struct Tables: Decodable, Sendable { let TableNames: [String]? }
        _ = try await world.emulator.client(.dynamoDB).call("ListTables", TooLong(Limit: 1000, Prefix: "cart"), as: Tables.self)

        // A query form numbered from 2 and a page size past ELBv2's 400.
        var request = HTTPRequest(method: "POST", url: world.emulator.endpoint,
                                  headers: [("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")],
                                  body: Data("Action=DescribeTargetGroups&Version=2015-12-01&TargetGroupArns.member.2=x&PageSize=1000".utf8))
        SigV4Signer.sign(&request, credentials: AWSCredentials(accessKeyID: "testing", secretAccessKey: "testing", source: "test"),
                         region: "us-east-1", service: "elasticloadbalancing", date: Date())
        _ = try await CurlHTTPClient().send(request)

        let recorded = try await world.emulator.recordedRequests()
        #expect(recorded.count == 2)
        let listTables = recorded.first { $0.operation == "ListTables" }
        #expect(listTables?.problems.contains { $0.contains("Unknown parameter") && $0.contains("Prefix") } == true)
        #expect(listTables?.problems.contains { $0.contains("Limit: 1000 is over the model's maximum 100") } == true)
        let describe = recorded.first { $0.operation == "DescribeTargetGroups" }
        #expect(describe?.problems.contains { $0.contains("numbered [2]") } == true)
        #expect(describe?.problems.contains { $0.contains("PageSize: 1000 is over the model's maximum 400") } == true)
    }

    // MARK: Construction

    @Test func theServicesEndpointOverridesAreUsed() async throws {
        let world = try await World.shared()
        // Every service this discovery calls has its own override; the general one leads nowhere.
        var variables = world.emulator.environment
        variables["AWS_ENDPOINT_URL"] = "http://127.0.0.1:9"
        for service in [AWSService.resourceGroupsTagging, .ecs, .dynamoDB, .elasticLoadBalancingV2] {
            variables[service.endpointVariable] = world.emulator.endpoint.absoluteString
        }
        #expect(AWSService.resourceGroupsTagging.endpointVariable == "AWS_ENDPOINT_URL_RESOURCE_GROUPS_TAGGING_API")
        #expect(AWSService.elasticLoadBalancingV2.endpointVariable == "AWS_ENDPOINT_URL_ELASTIC_LOAD_BALANCING_V2")
        let services = try AWSServices(region: "us-east-1", environment: AWSEnvironment(variables: variables),
                                       logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }),
                                       retry: RetryPolicy(maxAttempts: 1))
        let candidates = try await services.resourceDiscovery.candidates(
            for: TargetSelector(kind: .ecsService, cluster: "shop", tags: ["team": "cart"]), variables: ["load_balancer"])
        #expect(candidates.first { $0.name == "web" }?.variables["load_balancer"]?.hasPrefix("app/shop-alb/") == true)
    }
}

// MARK: - The world

/// The emulator world of these tests, made once: 112 DynamoDB tables, an ALB with target
/// groups, and ECS services in four clusters.
struct DiscoveryWorld: Sendable {
    let emulator: AWSEmulator
    /// The ALB's ARN.
    let loadBalancer: String
    /// Target group ARNs by name.
    let targetGroups: [String: String]

    /// Tagged team=cart and env=prod.
    static let cartTables = ["cart-orders", "cart-items", "cart-sessions", "cart-prices", "cart-events", "cart-promos", "cart-legacy", "checkout-cart"]
    /// Names that look like the cart's, or tags that nearly match: not team=cart.
    static let otherTables: [(name: String, tags: [String: String])] = [
        ("cart-untagged", [:]), ("cart-search", ["team": "search"]), ("billing", ["team": "billing"]), ("inventory", ["team": "cart-ops"]),
    ]
    /// Tagged fleet=bulk.
    static let bulkTables = (0..<100).map { String(format: "bulk-%03d", $0) }
    static let allTables = cartTables + otherTables.map(\.name) + bulkTables
    /// The services of the cluster `fleet`; only svc-12 is behind a target group (web-tg).
    static let fleetServices = (1...12).map { String(format: "svc-%02d", $0) }

    private actor Store {
        var world: DiscoveryWorld?
        func get() async throws -> DiscoveryWorld {
            if let world { return world }
            let made = try await DiscoveryWorld.make()
            world = made
            return made
        }
    }
    private static let store = Store()

    static func shared() async throws -> DiscoveryWorld { try await store.get() }

    private static func make() async throws -> DiscoveryWorld {
        let emulator = try AWSEmulator.start()
        func table(_ name: String, _ tags: [String: String]) -> Boto3Call {
            var parameters: [String: Any] = [
                "TableName": name, "BillingMode": "PAY_PER_REQUEST",
                "KeySchema": [["AttributeName": "id", "KeyType": "HASH"]], "AttributeDefinitions": [["AttributeName": "id", "AttributeType": "S"]],
            ]
            if !tags.isEmpty { parameters["Tags"] = tags.sorted { $0.key < $1.key }.map { ["Key": $0.key, "Value": $0.value] } }
            return Boto3Call("dynamodb", "create_table", json(parameters))
        }
        try await emulator.boto3(cartTables.map { table($0, ["team": "cart", "env": "prod"]) } + otherTables.map { table($0.name, $0.tags) }
            + bulkTables.map { table($0, ["fleet": "bulk"]) })

        // An ALB routing to cart-tg by default and to web-tg by a rule; orphan-tg has no load
        // balancer; gone-tg is deleted once a service names it.
        let vpc = try await emulator.boto3(Boto3Call("ec2", "create_vpc", json(["CidrBlock": "10.0.0.0/16"])), as: VpcOutput.self).Vpc.VpcId
        var subnets: [String] = []
        for (index, zone) in ["us-east-1a", "us-east-1b"].enumerated() {
            subnets.append(try await emulator.boto3(Boto3Call("ec2", "create_subnet", json(["VpcId": vpc, "CidrBlock": "10.0.\(index + 1).0/24", "AvailabilityZone": zone])),
                                                    as: SubnetOutput.self).Subnet.SubnetId)
        }
        let loadBalancer = try await emulator.boto3(Boto3Call("elbv2", "create_load_balancer", json(["Name": "shop-alb", "Subnets": subnets])),
                                                    as: LoadBalancersOutput.self).LoadBalancers[0].LoadBalancerArn
        var targetGroups: [String: String] = [:]
        for name in ["cart-tg", "web-tg", "orphan-tg", "gone-tg"] {
            targetGroups[name] = try await emulator.boto3(Boto3Call("elbv2", "create_target_group", json([
                "Name": name, "Protocol": "HTTP", "Port": 80, "VpcId": vpc, "TargetType": "ip",
            ])), as: TargetGroupsOutput.self).TargetGroups[0].TargetGroupArn
        }
        let listener = try await emulator.boto3(Boto3Call("elbv2", "create_listener", json([
            "LoadBalancerArn": loadBalancer, "Protocol": "HTTP", "Port": 80,
            "DefaultActions": [["Type": "forward", "TargetGroupArn": targetGroups["cart-tg"]!]],
        ])), as: ListenersOutput.self).Listeners[0].ListenerArn
        try await emulator.boto3([Boto3Call("elbv2", "create_rule", json([
            "ListenerArn": listener, "Priority": 1, "Conditions": [["Field": "path-pattern", "Values": ["/web/*"]]],
            "Actions": [["Type": "forward", "TargetGroupArn": targetGroups["web-tg"]!]],
        ]))])

        let taskDefinition = try await emulator.boto3(Boto3Call("ecs", "register_task_definition", json([
            "family": "shop", "containerDefinitions": [["name": "app", "image": "shop:1", "memory": 256]],
        ])), as: TaskDefinitionOutput.self).taskDefinition.taskDefinitionArn
        func service(_ cluster: String, _ name: String, team: String, targetGroup: String? = nil) -> Boto3Call {
            var parameters: [String: Any] = [
                "cluster": cluster, "serviceName": name, "taskDefinition": taskDefinition, "desiredCount": 1,
                "tags": [["key": "team", "value": team]],
            ]
            if let targetGroup {
                parameters["loadBalancers"] = [["targetGroupArn": targetGroups[targetGroup]!, "containerName": "app", "containerPort": 80]]
            }
            return Boto3Call("ecs", "create_service", json(parameters))
        }
        try await emulator.boto3(["shop", "eu-shop", "depot", "fleet"].map { Boto3Call("ecs", "create_cluster", json(["clusterName": $0])) } + [
            service("shop", "cart", team: "cart", targetGroup: "cart-tg"),
            service("shop", "web", team: "cart", targetGroup: "web-tg"),
            service("shop", "worker", team: "cart"),
            service("shop", "orphan", team: "cart", targetGroup: "orphan-tg"),
            service("shop", "ghost", team: "cart", targetGroup: "gone-tg"),
            service("shop", "search", team: "search"),
            service("shop", "legacy-shop", team: "legacy"),
            service("eu-shop", "cart", team: "cart", targetGroup: "web-tg"),
            service("eu-shop", "eu-web", team: "cart"),
            service("depot", "legacy-depot", team: "legacy"),
        ] + fleetServices.map { service("fleet", $0, team: "fleet", targetGroup: $0 == "svc-12" ? "web-tg" : nil) } + [
            Boto3Call("elbv2", "delete_target_group", json(["TargetGroupArn": targetGroups["gone-tg"]!])),
        ])
        return DiscoveryWorld(emulator: emulator, loadBalancer: loadBalancer, targetGroups: targetGroups)
    }
}

/// `parameters` as a JSON object, for a boto3 call.
private func json(_ parameters: [String: Any]) -> String {
    String(decoding: try! JSONSerialization.data(withJSONObject: parameters, options: [.sortedKeys]), as: UTF8.self)
}

private struct VpcOutput: Decodable { struct Vpc: Decodable { let VpcId: String }; let Vpc: Vpc }
private struct SubnetOutput: Decodable { struct Subnet: Decodable { let SubnetId: String }; let Subnet: Subnet }
private struct LoadBalancersOutput: Decodable { struct LoadBalancer: Decodable { let LoadBalancerArn: String }; let LoadBalancers: [LoadBalancer] }
private struct TargetGroupsOutput: Decodable { struct TargetGroup: Decodable { let TargetGroupArn: String }; let TargetGroups: [TargetGroup] }
private struct ListenersOutput: Decodable { struct Listener: Decodable { let ListenerArn: String }; let Listeners: [Listener] }
private struct TaskDefinitionOutput: Decodable { struct Definition: Decodable { let taskDefinitionArn: String }; let taskDefinition: Definition }
private struct ServiceARNs: Decodable { let serviceArns: [String] }
private struct TaggedResources: Decodable { struct Mapping: Decodable { let ResourceARN: String }; let ResourceTagMappingList: [Mapping] }
