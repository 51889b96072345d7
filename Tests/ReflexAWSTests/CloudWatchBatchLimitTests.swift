import Foundation
import ReflexAWS
import ReflexCore
import ReflexTestSupport
import Testing

/// GetMetricData's limits beyond 500 queries a call, against the emulator with every request
/// recorded and checked against botocore's model: no call asks for more than 100,800
/// datapoints, a query longer than that is fetched in slices of its range, and no more than
/// 50 calls of one fetch arrive within a second (see also `CallPacingTests`).
@Suite(.serialized)
struct CloudWatchBatchLimitTests {
    static let operation = "GetMetricData"

    /// The parts of a recorded GetMetricData request the tests read.
    struct Parameters: Decodable, Sendable {
        struct Query: Decodable, Sendable {
            struct Stat: Decodable, Sendable {
                struct Metric: Decodable, Sendable {
                    struct Dimension: Decodable, Sendable { let Value: String }
                    let Dimensions: [Dimension]
                }
                let Metric: Metric
                let Period: Int
            }
            let MetricStat: Stat
        }
        let MetricDataQueries: [Query]
        let StartTime: Double
        let EndTime: Double

        /// The periods the call asks for, summed over its queries (a partial one counts).
        var datapoints: Int {
            MetricDataQueries.reduce(0) { $0 + Int(((EndTime - StartTime) / Double($1.MetricStat.Period)).rounded(.up)) }
        }
        var series: [String] { MetricDataQueries.map { $0.MetricStat.Metric.Dimensions[0].Value } }
    }

    @Test func aBatchOverTheDatapointLimitIsSplitAndComesBackComplete() async throws {
        let emulator = try AWSEmulator.start()
        defer { emulator.stop() }
        let prefix = "split-\(UUID().uuidString)"
        // Two days of minutes: 60 queries of 2,880 periods are 172,800 datapoints, more than a call may ask for.
        let queries = (0..<60).map { MetricQueryFixtures.query("\(prefix)-\($0)") }
        let end = MetricQueryFixtures.minutesAgo(0)
        let start = end.addingTimeInterval(-2 * 86_400)
        // Every query has its own values at the first, a middle and the last minute.
        let offsets = [0, 1_439, 2_879]
        try await emulator.putMetricData(namespace: "Reflex/Test", series: queries.indices.map { index in
            SeededSeries(metric: "Count", dimensions: ["Series": "\(prefix)-\(index)"],
                         points: offsets.map { (start.addingTimeInterval(Double($0 * 60)), Double(index * 10_000 + $0)) })
        })
        try await emulator.startRecordingRequests()
        let source = CloudWatchMetricsSource(client: emulator.client(.cloudWatch))
        let results = await source.fetch(queries, from: start, to: end)

        let calls = try await emulator.recordedCalls(of: Self.operation, as: Parameters.self)
        #expect(calls.count == 2)
        #expect(calls.allSatisfy { $0.problems.isEmpty }, "\(calls.map(\.problems))")
        #expect(calls.map(\.params.datapoints).sorted() == [72_000, 100_800])
        #expect(calls.flatMap(\.params.series).sorted() == queries.map { $0.dimensions[0].value }.sorted())
        #expect(source.metricsRequested(by: queries, from: start, to: end) == 60)
        let first = Int(start.timeIntervalSince1970)
        for (index, query) in queries.enumerated() {
            let series = try #require(try results[query]?.get())
            #expect(series.points == Dictionary(uniqueKeysWithValues: offsets.map { (first + $0 * 60, Double(index * 10_000 + $0)) }))
        }
    }

    @Test func aQueryLongerThanOneCallIsFetchedInSlicesOfItsRange() async throws {
        let emulator = try AWSEmulator.start()
        defer { emulator.stop() }
        let query = MetricQueryFixtures.query("long-\(UUID().uuidString)")
        // 71 days of minutes: 102,240 periods, so two slices: 100,800 minutes, then 1,440.
        let end = MetricQueryFixtures.minutesAgo(0)
        let start = end.addingTimeInterval(-71 * 86_400)
        let cut = start.addingTimeInterval(100_800 * 60)
        let minutes = [0, 50_000, 100_799, 100_800, 102_239]
        try await emulator.putMetricData(namespace: query.namespace, metric: query.metric, dimensions: ["Series": query.dimensions[0].value],
                                         points: minutes.map { (start.addingTimeInterval(Double($0 * 60)), Double($0 + 1)) })
        try await emulator.startRecordingRequests()
        let source = CloudWatchMetricsSource(client: emulator.client(.cloudWatch))
        let results = await source.fetch([query], from: start, to: end)

        let calls = try await emulator.recordedCalls(of: Self.operation, as: Parameters.self).sorted { $0.params.StartTime < $1.params.StartTime }
        #expect(calls.allSatisfy { $0.problems.isEmpty }, "\(calls.map(\.problems))")
        #expect(calls.map(\.params.StartTime) == [start.timeIntervalSince1970, cut.timeIntervalSince1970])
        #expect(calls.map(\.params.EndTime) == [cut.timeIntervalSince1970, end.timeIntervalSince1970])
        #expect(calls.map(\.params.datapoints) == [100_800, 1_440])
        // Each slice is a metric requested again.
        #expect(source.metricsRequested(by: [query], from: start, to: end) == 2)
        let first = Int(start.timeIntervalSince1970)
        let series = try #require(try results[query]?.get())
        #expect(series.points == Dictionary(uniqueKeysWithValues: minutes.map { (first + $0 * 60, Double($0 + 1)) }))
    }

    @Test func aSliceThatFailsFailsTheQuery() async throws {
        let emulator = try AWSEmulator.start()
        defer { emulator.stop() }
        let long = MetricQueryFixtures.query("long-\(UUID().uuidString)")
        let end = MetricQueryFixtures.minutesAgo(0)
        let start = end.addingTimeInterval(-71 * 86_400)
        // The first of the two slices' calls to arrive fails, with an error no retry helps.
        try await emulator.inject([.init(target: Self.operation, status: 400, code: "ValidationError")])
        let results = await CloudWatchMetricsSource(client: emulator.client(.cloudWatch)).fetch([long], from: start, to: end)
        guard case let .failure(failure)? = results[long] else { Issue.record("half a series passed for the whole"); return }
        #expect(failure.message.contains("ValidationError"))
    }

    /// When each of `count` one-query calls reached the emulator, in seconds from the first.
    func arrivals(count: Int, callsPerSecond: Int? = nil) async throws -> [Double] {
        let emulator = try AWSEmulator.start()
        defer { emulator.stop() }
        let prefix = "paced-\(UUID().uuidString)"
        let queries = (0..<count).map { MetricQueryFixtures.query("\(prefix)-\($0)") }
        try await emulator.startRecordingRequests()
        let client = emulator.client(.cloudWatch)
        let oneToACall = FetchPlan.Limits(queries: 1, datapoints: CloudWatchMetricsSource.datapointsPerCall)
        let source = callsPerSecond.map { CloudWatchMetricsSource(client: client, limits: oneToACall, callsPerSecond: $0) }
            ?? CloudWatchMetricsSource(client: client, limits: oneToACall)
        let results = await source.fetch(queries, from: MetricQueryFixtures.minutesAgo(10), to: MetricQueryFixtures.minutesAgo(0))
        #expect(results.values.allSatisfy { if case .success = $0 { true } else { false } })
        let times = try await emulator.recordedCalls(of: Self.operation, as: Parameters.self).map(\.at).sorted()
        try #require(times.count == count)
        return times.map { $0 - (times.first ?? 0) }
    }

    @Test func callsBeyondASecondsWorthAreSpreadOverTheNextSeconds() async throws {
        // At 5 a second, 12 calls go out 5 at once, 5 more a second after the first were
        // answered, then the last 2.
        let times = try await arrivals(count: 12, callsPerSecond: 5)
        #expect(times[5] >= 1 && times[10] >= 2, "\(times)")
        // No more than 5 arrive within any second, however long each took on its way.
        for (index, time) in times.enumerated() {
            #expect(times.filter { $0 >= time && $0 < time + 1 }.count <= 5, "\(index): \(times)")
        }
    }

    @Test func theDefaultQuotaIsFiftyCallsASecond() async throws {
        // The 51st call goes out a second after an answer to one of the first 50.
        let times = try await arrivals(count: 55)
        #expect(times[50] >= 1, "\(times)")
        for (index, time) in times.enumerated() {
            #expect(times.filter { $0 >= time && $0 < time + 1 }.count <= 50, "\(index): \(times)")
        }
    }
}
