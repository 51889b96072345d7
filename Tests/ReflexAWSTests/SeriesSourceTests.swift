import Foundation
import ReflexAWS
import ReflexCore
import ReflexTestSupport
import Testing

/// The series beside CloudWatch, read from the emulator as AWS answers them: log lines that
/// match a filter pattern and service tasks that stopped, counted per period, zero where none.
@Suite(.serialized)
struct SeriesSourceTests {
    let emulator = Emulators.shared

    static func minute(_ back: Int) -> Date {
        let now = Int(Date().timeIntervalSince1970)
        return Date(timeIntervalSince1970: Double(now - now % 60 - back * 60))
    }

    static func json(_ object: Any) -> String {
        String(decoding: try! JSONSerialization.data(withJSONObject: object), as: UTF8.self)
    }

    @Test func logLinesMatchingThePatternAreCountedPerPeriodEveryPageRead() async throws {
        let group = "/ecs/logs-\(UUID().uuidString.prefix(8))"
        // Every moment from one minute, so that a minute passing during the test shifts nothing.
        let base = Self.minute(0)
        func minute(_ back: Int) -> Date { base.addingTimeInterval(Double(-back * 60)) }
        func line(_ back: Int, _ second: Int, _ text: String) -> [String: Any] {
            ["timestamp": Int64(minute(back).timeIntervalSince1970 * 1000) + Int64(second * 1000), "message": text]
        }
        try await emulator.boto3([
            Boto3Call("logs", "create_log_group", Self.json(["logGroupName": group])),
            Boto3Call("logs", "create_log_stream", Self.json(["logGroupName": group, "logStreamName": "cart/1"])),
            Boto3Call("logs", "put_log_events", Self.json(["logGroupName": group, "logStreamName": "cart/1", "logEvents": [
                line(5, 10, "circuit breaker open for payments"), line(5, 20, "circuit breaker open for payments"),
                line(4, 5, "request served"), line(3, 1, "circuit half-open"),
            ]])),
        ])
        let query = MetricQuery(source: .logEvents(.init(group: group, pattern: "circuit")), period: .minutes(1))
        try await emulator.startRecordingRequests()
        let source = LogEventsSource(logs: CloudWatchLogsClient(client: emulator.client(.cloudWatchLogs)))
        let fetched = await source.fetch([query], from: minute(6), to: minute(1))
        let series = try #require(try fetched[query]?.get())
        let start = Int(minute(6).timeIntervalSince1970)
        #expect((0..<5).map { series.value(at: start + $0 * 60) } == [0, 2, 0, 1, 0])
        // Other suites share the emulator: only this test reads logs.
        let requests = try await emulator.recordedRequests().filter { $0.operation == "FilterLogEvents" }
        #expect(!requests.isEmpty && requests.allSatisfy { $0.problems.isEmpty }, "\(requests)")

        // A group that does not exist fails the query (fail closed), never reads as zero.
        let missing = MetricQuery(source: .logEvents(.init(group: group + "-gone", pattern: "circuit")), period: .minutes(1))
        let failed = await source.fetch([missing], from: minute(6), to: minute(1))
        guard case let .failure(failure)? = failed[missing] else {
            Issue.record("a missing log group must fail, got \(String(describing: failed[missing]))")
            return
        }
        #expect(failure.message.contains("ResourceNotFoundException"), "\(failure.message)")
    }

    @Test func stoppedTasksAreCountedByReasonInThePeriodTheyWereFirstSeenAndOnlyOnce() async throws {
        let cluster = "stops-\(UUID().uuidString.prefix(8))"
        let seeded = try await emulator.boto3(Boto3Call("ecs", "register_task_definition", Self.json([
            "family": "stops", "containerDefinitions": [["name": "app", "image": "app:1", "memory": 512]],
        ])), as: Registered.self)
        let taskDefinition = seeded.taskDefinition.taskDefinitionArn
        try await emulator.boto3([Boto3Call("ecs", "create_cluster", Self.json(["clusterName": cluster]))])
        func run(_ group: String) async throws -> String {
            let started = try await emulator.boto3(Boto3Call("ecs", "run_task", Self.json([
                "cluster": cluster, "taskDefinition": taskDefinition, "count": 1, "group": group, "launchType": "FARGATE",
            ])), as: Started.self)
            return started.tasks[0].taskArn
        }
        let oom = "OutOfMemoryError: Container killed due to memory usage"
        var stops: [Boto3Call] = []
        for reason in [oom, oom, oom, "Scaling activity initiated by deployment"] {
            stops.append(Boto3Call("ecs", "stop_task", Self.json(["cluster": cluster, "task": try await run("service:cart"), "reason": reason])))
        }
        // Another service's OOM and a running task of this one do not count.
        stops.append(Boto3Call("ecs", "stop_task", Self.json(["cluster": cluster, "task": try await run("service:other"), "reason": oom])))
        _ = try await run("service:cart")
        try await emulator.boto3(stops)

        let source = ECSStoppedTasksSource(ecs: ECSClient(client: emulator.client(.ecs)))
        let oomQuery = MetricQuery(source: .ecsStoppedTasks(.init(cluster: cluster, service: "cart", reason: Glob("OutOfMemoryError*"))),
                                   period: .minutes(1))
        let anyQuery = MetricQuery(source: .ecsStoppedTasks(.init(cluster: cluster, service: "cart")), period: .minutes(1))
        // The range reaches well past now: a minute may begin while the tasks start and stop, and
        // the stops are first seen (and counted) at the fetch.
        let start = Self.minute(2)
        let end = Date().addingTimeInterval(180)
        try await emulator.startRecordingRequests()
        let first = await source.fetch([oomQuery, anyQuery], from: start, to: end)
        func total(_ result: Result<MetricSeries, MetricsFailure>?) throws -> Double {
            try #require(try result?.get()).points.values.reduce(0, +)
        }
        // The emulator sets no stoppedAt: each stop counts in the period Reflex first saw it.
        #expect(try total(first[oomQuery]) == 3)
        #expect(try total(first[anyQuery]) == 4)
        let second = await source.fetch([oomQuery], from: start, to: end)
        #expect(try total(second[oomQuery]) == 3)
        // Other suites share the emulator: only this test lists and describes tasks.
        let requests = try await emulator.recordedRequests().filter { ["ListTasks", "DescribeTasks"].contains($0.operation) }
        #expect(requests.allSatisfy { $0.problems.isEmpty }, "\(requests)")
        // The second fetch listed the tasks again but described none: all were known.
        #expect(requests.filter { $0.operation == "DescribeTasks" }.count == 1, "\(requests)")
        #expect(requests.filter { $0.operation == "ListTasks" }.count == 2, "\(requests)")
    }

    struct Registered: Decodable { struct Definition: Decodable { let taskDefinitionArn: String }; let taskDefinition: Definition }
    struct Started: Decodable { struct Task: Decodable { let taskArn: String }; let tasks: [Task] }
}
