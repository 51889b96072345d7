import Foundation
import ReflexAWS
import ReflexCore
import ReflexTestSupport
import Testing

struct CloudWatchMetricsSourceTests {
    @Test func readsSeededDatapointsOnThePeriodGrid() async throws {
        let query = MetricQueryFixtures.query("read-\(UUID().uuidString)")
        let start = MetricQueryFixtures.minutesAgo(10)
        let points = (0..<5).map { (start.addingTimeInterval(Double($0 * 60)), Double(10 * ($0 + 1))) }
        try await Emulators.shared.putMetricData(namespace: query.namespace, metric: query.metric, dimensions: ["Series": query.dimensions[0].value], points: points)
        let source = CloudWatchMetricsSource(client: Emulators.shared.client(.cloudWatch))
        let results = await source.fetch([query], from: start, to: start.addingTimeInterval(600))
        let series = try #require(try results[query]?.get())
        let first = Int(start.timeIntervalSince1970)
        #expect((0..<5).map { series.value(at: first + $0 * 60) } == [10, 20, 30, 40, 50])
        #expect(series.value(at: first + 300) == nil)
    }

    @Test func packsDistinctQueriesFiveHundredToACall() async throws {
        let prefix = "pack-\(UUID().uuidString)"
        // 1,200 distinct metrics read by 2,400 policies' worth of (duplicated) queries.
        let distinct = (0..<1200).map { MetricQueryFixtures.query("\(prefix)-\($0)") }
        // An emulator of its own, so that no other test's calls are counted.
        let emulator = try AWSEmulator.start()
        // One series in each of the three calls, each with its own value: the calls go out
        // together, and every answer must land on its own query.
        let start = MetricQueryFixtures.minutesAgo(10)
        let seeded = [0, 600, 1199]
        try await emulator.putMetricData(namespace: "Reflex/Test", series: seeded.map {
            SeededSeries(metric: "Count", dimensions: ["Series": "\(prefix)-\($0)"], points: [(start.addingTimeInterval(120), Double($0 + 1))])
        })
        _ = try await emulator.traffic(reset: true)
        let source = CloudWatchMetricsSource(client: emulator.client(.cloudWatch))
        let results = await source.fetch(distinct + distinct, from: start, to: MetricQueryFixtures.minutesAgo(0))
        #expect(results.count == 1200)
        #expect(results.values.allSatisfy { if case .success = $0 { true } else { false } })
        for index in seeded {
            #expect(try results[distinct[index]]?.get().value(at: Int(start.timeIntervalSince1970) + 120) == Double(index + 1))
        }
        #expect(try results[distinct[1]]?.get().points.isEmpty == true)
        let calls = try await emulator.calls()
        #expect(calls["GraniteServiceVersion20100801.GetMetricData"] == 3) // ceil(1200 / 500)
        let traffic = try await emulator.traffic()
        #expect(traffic.requests == 3 && traffic.operations["GraniteServiceVersion20100801.GetMetricData"] == 3)
        #expect(traffic.requestBytes > 1200 * 100 && traffic.responseBytes > 0)
    }

    @Test func policiesSharingMetricsShareTheirQueries() throws {
        let policies = try (0..<100).map { index in
            Policy(name: "p\(index)", metrics: [NamedMetric(name: "a", query: MetricQueryFixtures.query("shared-\(index % 10)"))],
                   condition: try ExpressionParser.parseCondition("a > 1", metrics: ["a"], period: .minutes(1)),
                   period: .minutes(1), target: .dynamoDBTable(name: "t"))
        }
        let window = MetricsWindow(policies: policies, at: Date(timeIntervalSince1970: 1_767_225_630))
        #expect(window.queries.count == 10)
        // Newest judged minute 23:58 ends at 23:59, one period after the start 23:58.
        #expect(window.start == Date(timeIntervalSince1970: 1_767_225_480))
        #expect(window.end == Date(timeIntervalSince1970: 1_767_225_540))
    }
}
