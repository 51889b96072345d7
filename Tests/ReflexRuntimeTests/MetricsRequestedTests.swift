import Foundation
import Logging
import ReflexAudit
import ReflexCore
import ReflexRuntime
import ReflexTestSupport
import Testing

/// The daemon counts the metrics it requests from CloudWatch since its start and reports
/// them, with their hourly rate, in its status.
struct MetricsRequestedTests {
    static func policy(_ name: String, metric: String) -> Policy {
        let query = MetricQuery(namespace: "T", metric: metric, dimensions: [], stat: Statistic("Sum")!, period: .minutes(1))
        return Policy(name: name, metrics: [NamedMetric(name: "a", query: query)],
                      condition: try! ExpressionParser.parseCondition("a > 1", metrics: ["a"], period: .minutes(1)),
                      period: .minutes(1), target: PipelineWorld.table)
    }

    func reported(_ world: PipelineWorld) throws -> DaemonStatus {
        try #require(try AuditReader(store: world.store).daemonStatus())
    }

    @Test func everyFetchCountsItsMetricsOnceEachAndTheRateHoldsFromTheFirstCycle() async throws {
        let world = try await PipelineWorld.make()
        // Two policies share a metric, a third reads another: two metrics a fetch.
        let daemon = world.daemon([Self.policy("a", metric: "M"), Self.policy("b", metric: "M"), Self.policy("c", metric: "N")])
        let started = world.clock.now
        await daemon.cycle()
        var status = try reported(world)
        #expect(status.metricsRequested == 2)
        // Stored to the second.
        #expect(status.startedAt.map { abs($0.timeIntervalSince(started)) < 1 } == true)
        // Two a minute is 120 an hour, from the first cycle on.
        #expect(status.metricsPerHour == 120)
        #expect(status.summary.contains(", last cycle 0.0 s, 120 metrics/h"), "\(status.summary)")
        for _ in 0..<3 {
            world.clock.advance(60)
            await daemon.cycle()
        }
        status = try reported(world)
        #expect(status.metricsRequested == 8)
        #expect(status.metricsPerHour == 120)
    }

    @Test func aSourceThatDoesNotCountCountsOnePerDistinctQuery() async throws {
        let world = try await PipelineWorld.make()
        let discovery = ScriptedDiscovery()
        discovery.set(.success([FleetDaemonTests.member("cart-a"), FleetDaemonTests.member("cart-b")]))
        let metrics = TableMetrics()
        let daemon = FleetDaemonTests().fleetDaemon(world, FleetDaemonTests.fleetPolicy(), discovery: discovery, metrics: metrics)
        await daemon.cycle()
        #expect(metrics.fetches.map(\.count) == [2])
        #expect(try reported(world).metricsRequested == 2)
    }
}
