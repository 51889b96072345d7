import Foundation
import Logging
import ReflexAudit
import ReflexAWS
import ReflexCore
import ReflexRuntime
import ReflexTestSupport
import Testing

/// A discovery whose answer the test sets: the listing, or an error.
final class ScriptedDiscovery: ResourceDiscovery, @unchecked Sendable {
    private let lock = NSLock()
    private var answer: Result<[FleetMember], any Error> = .success([])
    private(set) var calls = 0

    func set(_ answer: Result<[FleetMember], any Error>) { lock.withLock { self.answer = answer } }

    func candidates(for selector: TargetSelector, variables: Set<String>) async throws -> [FleetMember] {
        try lock.withLock {
            calls += 1
            return try answer.get()
        }
    }
}

/// Metrics whose values the test sets per table: every period of a query for `TableName=T`
/// has `values[T]`, so a fleet's instances see different data in one fetch.
final class TableMetrics: MetricsSource, @unchecked Sendable {
    private let lock = NSLock()
    private var values: [String: Double] = [:]
    private(set) var fetches: [[MetricQuery]] = []

    func set(_ table: String, _ value: Double) { lock.withLock { values[table] = value } }

    func fetch(_ queries: [MetricQuery], from start: Date, to end: Date) async -> [MetricQuery: Result<MetricSeries, MetricsFailure>] {
        lock.withLock {
            fetches.append(queries)
            var results: [MetricQuery: Result<MetricSeries, MetricsFailure>] = [:]
            for query in queries {
                let table = query.dimensions.first { $0.name == "TableName" }?.value ?? ""
                let count = Int(end.timeIntervalSince(start)) / query.period.seconds
                results[query] = .success(MetricSeries(period: query.period, start: start,
                                                       values: Array(repeating: values[table] ?? 0, count: count)))
            }
            return results
        }
    }
}

struct ThrottlingError: Error, CustomStringConvertible {
    var description: String { "ThrottlingException: Rate exceeded" }
}

@Suite(.serialized) struct FleetDaemonTests {
    static let selector = TargetSelector(kind: .dynamoDBTable, tags: ["team": "cart"], name: Glob("cart-*"), exclude: ["cart-legacy"])

    static func fleetPolicy(guardrails: Guardrails = Guardrails(maxActions: Budget(count: 2, window: .hours(1)))) -> Policy {
        let query = MetricQuery(namespace: "AWS/DynamoDB", metric: "ThrottledRequests", dimensions: [.init(name: "TableName", value: "${table}")],
                                stat: Statistic("Sum")!, period: .minutes(1))
        return Policy(name: "cart-throttling", mode: .enforce, metrics: [NamedMetric(name: "throttles", query: query)],
                      condition: try! ExpressionParser.parseCondition("throttles > 10", metrics: ["throttles"], period: .minutes(1)),
                      period: .minutes(1), target: selector.templateTarget, selector: selector,
                      action: .dynamoDBCapacity(read: CapacityChange(amount: .factor(2), max: 400), write: CapacityChange(amount: .factor(2), max: 400)),
                      guardrails: guardrails)
    }

    static func member(_ table: String, team: String = "cart") -> FleetMember {
        FleetMember(target: .dynamoDBTable(name: table), tags: ["team": team])
    }

    /// Creates provisioned tables on the emulator.
    static func createTables(_ names: [String], on emulator: AWSEmulator) async throws {
        struct Attribute: Encodable { let AttributeName: String; let AttributeType: String }
        struct Key: Encodable { let AttributeName: String; let KeyType: String }
        struct Throughput: Encodable { let ReadCapacityUnits: Int; let WriteCapacityUnits: Int }
        struct CreateTable: Encodable {
            let TableName: String; let AttributeDefinitions: [Attribute]; let KeySchema: [Key]; let ProvisionedThroughput: Throughput
        }
        struct Ignored: Decodable {}
        let client = emulator.client(.dynamoDB)
        for name in names {
            _ = try await client.call("CreateTable", CreateTable(
                TableName: name, AttributeDefinitions: [Attribute(AttributeName: "id", AttributeType: "S")],
                KeySchema: [Key(AttributeName: "id", KeyType: "HASH")], ProvisionedThroughput: Throughput(ReadCapacityUnits: 10, WriteCapacityUnits: 10)),
                as: Ignored.self)
        }
    }

    func fleetDaemon(_ world: PipelineWorld, _ policy: Policy, discovery: ScriptedDiscovery, metrics: TableMetrics,
                     reloaded: [Policy]? = nil) -> Daemon {
        let clock = world.clock
        return Daemon(policySet: PolicySetVersion(policies: [policy], hashes: [:]), pollInterval: .minutes(1), metrics: metrics,
                      pipeline: world.pipeline, ledger: world.store, records: world.store, notifier: world.notifier, manager: QuietManager(),
                      logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }), safeModeDefault: false,
                      loadPolicies: {
                          guard let reloaded else { throw CancellationError() }
                          return PolicySetVersion(policies: reloaded, hashes: [:])
                      },
                      discovery: discovery, discoveryInterval: .minutes(5), now: { clock.now })
    }

    @Test func aReloadDiscoversAgainAndUnchangedInstancesKeepTheirState() async throws {
        let world = try await PipelineWorld.make()
        try await Self.createTables(["cart-a", "cart-b"], on: world.emulator)
        let discovery = ScriptedDiscovery()
        discovery.set(.success([Self.member("cart-a")]))
        let metrics = TableMetrics()
        metrics.set("cart-a", 50)
        let policy = Self.fleetPolicy()
        let daemon = fleetDaemon(world, policy, discovery: discovery, metrics: metrics, reloaded: [policy])
        await daemon.cycle()
        try await world.settle(daemon)
        #expect(try records(world, kind: .stateChange).map { "\($0.target ?? "") \($0.stateTo ?? "")" } == ["dynamodb:cart-a firing"])
        // A reload well within the discovery interval lists the fleet again at the next cycle.
        discovery.set(.success([Self.member("cart-a"), Self.member("cart-b")]))
        await daemon.reload()
        world.clock.advance(60)
        await daemon.cycle()
        try await world.settle(daemon)
        #expect(discovery.calls == 2)
        #expect(await daemon.instances.map(\.target.id) == ["dynamodb:cart-a", "dynamodb:cart-b"])
        // cart-a is still firing (not fired again); cart-b is new and judged from insufficient-data.
        #expect(try records(world, kind: .stateChange).map { "\($0.target ?? "") \($0.stateFrom ?? "")->\($0.stateTo ?? "")" }
            == ["dynamodb:cart-a insufficient-data->firing", "dynamodb:cart-b insufficient-data->ok"])
    }

    func records(_ world: PipelineWorld, kind: DecisionKind) throws -> [DecisionRecord] {
        try world.decisions(kind: kind).map(\.record)
    }

    @Test func theFleetBudgetLetsTwoOfThreeFiringTablesActAndEachInstanceIsJudgedOnItsOwn() async throws {
        let world = try await PipelineWorld.make()
        let tables = ["cart-a", "cart-b", "cart-c", "cart-d"]
        try await Self.createTables(tables + ["orders"], on: world.emulator)
        let discovery = ScriptedDiscovery()
        // The untagged table matches the name but not the tags; the excluded one neither.
        discovery.set(.success(tables.map { Self.member($0) } + [Self.member("cart-legacy"), Self.member("cart-untagged", team: "web"),
                                                                  Self.member("orders")]))
        let metrics = TableMetrics()
        for table in ["cart-a", "cart-b", "cart-c", "cart-untagged"] { metrics.set(table, 50) }
        let daemon = fleetDaemon(world, Self.fleetPolicy(), discovery: discovery, metrics: metrics)
        await daemon.cycle()
        try await world.settle(daemon)

        // One fetch with one query per instance, every instance judged.
        #expect(metrics.fetches.count == 1)
        #expect(Set(metrics.fetches[0].map { $0.dimensions[0].value }) == Set(tables))
        let changes = try records(world, kind: .stateChange)
        #expect(Set(changes.filter { $0.stateTo == "firing" }.compactMap(\.target)) == ["dynamodb:cart-a", "dynamodb:cart-b", "dynamodb:cart-c"])
        #expect(changes.first { $0.target == "dynamodb:cart-d" }?.stateTo == "ok")
        // Two of the three firing tables act; the third is held by the fleet's budget.
        let executed = try records(world, kind: .actionExecuted)
        #expect(executed.count == 2)
        let held = try records(world, kind: .actionHeld)
        #expect(held.map(\.reason) == ["policy-budget"])
        #expect(Set(executed.compactMap(\.target) + held.compactMap(\.target)) == ["dynamodb:cart-a", "dynamodb:cart-b", "dynamodb:cart-c"])
        let added = try records(world, kind: .fleetChanged)
        #expect(added.map(\.reason) == ["instance-added"])
        #expect(added.first?.detail?.hasPrefix("4 instance(s) added") == true)
    }

    @Test func aPerTargetBudgetHoldsOneInstanceWithoutHoldingTheOthers() async throws {
        let world = try await PipelineWorld.make()
        try await Self.createTables(["cart-a", "cart-b"], on: world.emulator)
        let discovery = ScriptedDiscovery()
        discovery.set(.success([Self.member("cart-a"), Self.member("cart-b")]))
        let metrics = TableMetrics()
        metrics.set("cart-a", 50)
        let policy = Self.fleetPolicy(guardrails: Guardrails(maxActions: Budget(count: 10, window: .hours(1)),
                                                             maxActionsPerTarget: Budget(count: 1, window: .hours(1))))
        let daemon = fleetDaemon(world, policy, discovery: discovery, metrics: metrics)
        await daemon.cycle()
        try await world.settle(daemon)
        world.clock.advance(60)
        metrics.set("cart-b", 50)
        await daemon.cycle()
        try await world.settle(daemon)
        #expect(try records(world, kind: .actionExecuted).compactMap(\.target) == ["dynamodb:cart-a", "dynamodb:cart-b"])
        #expect(try records(world, kind: .actionHeld).map { "\($0.target ?? "") \($0.reason ?? "")" } == ["dynamodb:cart-a target-budget"])
    }

    @Test func discoveryAddsAndRemovesInstancesAndAFailedDiscoveryKeepsTheFleet() async throws {
        let world = try await PipelineWorld.make()
        try await Self.createTables(["cart-a", "cart-b", "cart-c"], on: world.emulator)
        let discovery = ScriptedDiscovery()
        discovery.set(.success([Self.member("cart-a"), Self.member("cart-b")]))
        let metrics = TableMetrics()
        metrics.set("cart-b", 50)
        let daemon = fleetDaemon(world, Self.fleetPolicy(), discovery: discovery, metrics: metrics)
        await daemon.cycle()
        try await world.settle(daemon)
        #expect(await daemon.instances.map(\.target.id) == ["dynamodb:cart-a", "dynamodb:cart-b"])

        // Within the interval nothing is listed again.
        world.clock.advance(60)
        await daemon.cycle()
        #expect(discovery.calls == 1)

        // The tagging API throttles: the fleet is kept, nobody changes state, it is recorded once.
        discovery.set(.failure(ThrottlingError()))
        let statesBefore = try records(world, kind: .stateChange).count
        let fetchesBefore = metrics.fetches.count
        for _ in 0..<2 {
            world.clock.advance(300)
            await daemon.cycle()
        }
        try await world.settle(daemon)
        #expect(discovery.calls == 3)
        // The kept instances are still fetched and judged every cycle meanwhile.
        #expect(metrics.fetches.dropFirst(fetchesBefore).map { Set($0.map { $0.dimensions[0].value }) } == [["cart-a", "cart-b"], ["cart-a", "cart-b"]])
        #expect(await daemon.instances.map(\.target.id) == ["dynamodb:cart-a", "dynamodb:cart-b"])
        #expect(try records(world, kind: .stateChange).count == statesBefore)
        let failed = try records(world, kind: .fleetChanged).filter { $0.reason == "discovery-failed" }
        #expect(failed.count == 1)
        #expect(failed.first?.detail?.contains("ThrottlingException") == true)
        #expect(failed.first?.detail?.contains("keeping the last 2 known instance(s)") == true)

        // It recovers with cart-b gone and cart-c new: the removal is recorded once, with the instance.
        discovery.set(.success([Self.member("cart-a"), Self.member("cart-c")]))
        world.clock.advance(300)
        await daemon.cycle()
        world.clock.advance(300)
        await daemon.cycle()
        try await world.settle(daemon)
        #expect(await daemon.instances.map(\.target.id) == ["dynamodb:cart-a", "dynamodb:cart-c"])
        let fleet = try records(world, kind: .fleetChanged)
        #expect(fleet.map(\.reason) == ["instance-added", "discovery-failed", "discovery-recovered", "instance-added", "instance-removed"])
        #expect(fleet.last?.target == "dynamodb:cart-b")
        // The new instance started in insufficient-data and was judged.
        #expect(try records(world, kind: .stateChange).contains { $0.target == "dynamodb:cart-c" && $0.stateFrom == "insufficient-data" })
    }
}
