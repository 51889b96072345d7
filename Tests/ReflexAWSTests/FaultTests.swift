import Foundation
import Logging
import ReflexAWS
import ReflexCore
import ReflexTestSupport
import Testing

/// Throttling, server errors and a hung endpoint, injected in front of the emulator: retried
/// within the budget, and when the budget is spent the policy is in `error`, never acting.
/// Each test has an emulator of its own, so that its faults meet only its requests.
struct FaultTests {
    let query = MetricQueryFixtures.query("faults")

    func fetch(_ emulator: AWSEmulator, retry: RetryPolicy = RetryPolicy(baseDelay: .milliseconds(10)),
               timeout: Duration = .seconds(10)) async -> Result<MetricSeries, MetricsFailure>? {
        let source = CloudWatchMetricsSource(client: emulator.client(.cloudWatch, retry: retry, timeout: timeout))
        return await source.fetch([query], from: MetricQueryFixtures.minutesAgo(10), to: MetricQueryFixtures.minutesAgo(0))[query]
    }

    @Test func throttlingIsRetriedUntilItSucceeds() async throws {
        let emulator = try AWSEmulator.start()
        try await emulator.inject([.init(target: "GetMetricData", status: 400, code: "ThrottlingException", count: 2)])
        guard case .success? = await fetch(emulator) else { Issue.record("not retried to success"); return }
        #expect(try await emulator.calls()["GraniteServiceVersion20100801.GetMetricData"] == 3)
    }

    @Test func persistentServerErrorsEndInErrorAfterThreeAttempts() async throws {
        let emulator = try AWSEmulator.start()
        try await emulator.inject([.init(target: "GetMetricData", status: 500, code: "InternalFailure", count: 10)])
        let result = await fetch(emulator)
        guard case let .failure(failure)? = result else { Issue.record("a failing call produced data"); return }
        #expect(failure.message.contains("InternalFailure"))
        #expect(try await emulator.calls()["GraniteServiceVersion20100801.GetMetricData"] == 3)

        // The policy reading that metric fails closed: error state, and nothing to act on.
        let policy = Policy(name: "p", mode: .enforce, metrics: [NamedMetric(name: "a", query: query)],
                            condition: try ExpressionParser.parseCondition("a > 1", metrics: ["a"], period: .minutes(1)),
                            period: .minutes(1), target: .ecsService(cluster: "c", service: "s"), action: .ecsRedeploy)
        let evaluation = PolicyEvaluator.evaluate(policy, series: result!.map { ["a": $0] }, previous: .firing, at: Date())
        #expect(evaluation.status == .error)
        #expect(evaluation.reason.code == "metrics-failed")
    }

    @Test func clientErrorsAreNotRetried() async throws {
        let emulator = try AWSEmulator.start()
        try await emulator.inject([.init(target: "GetMetricData", status: 400, code: "InvalidParameterValue", count: 3)])
        guard case .failure? = await fetch(emulator) else { Issue.record("a 400 produced data"); return }
        #expect(try await emulator.calls()["GraniteServiceVersion20100801.GetMetricData"] == 1)
    }

    @Test func aHungEndpointTimesOutAndIsRetriedWithinTheBudget() async throws {
        let emulator = try AWSEmulator.start()
        try await emulator.inject([.init(target: "GetMetricData", delay: 3, count: 3)])
        let result = await fetch(emulator, timeout: .milliseconds(500))
        guard case let .failure(failure)? = result else { Issue.record("a hung endpoint produced data"); return }
        // Had the client waited out the 3 s delay, the emulator would have answered with data:
        // a timeout failure after three attempts means each attempt gave up at its deadline.
        #expect(failure.message.contains("timeout"))
        #expect(try await emulator.calls()["GraniteServiceVersion20100801.GetMetricData"] == 3)
    }

    @Test func theRetryQuotaStopsRetriesDuringAnOutage() async throws {
        let emulator = try AWSEmulator.start()
        try await emulator.inject([.init(target: "GetMetricData", status: 503, code: "ServiceUnavailable", count: 100)])
        // A quota of 10 pays for two retries (5 each) in all, across calls.
        let retry = RetryPolicy(baseDelay: .milliseconds(1), quota: 10)
        for _ in 0..<3 { _ = await fetch(emulator, retry: retry) }
        #expect(try await emulator.calls()["GraniteServiceVersion20100801.GetMetricData"] == 5)
        #expect(await retry.remainingQuota == 0)
    }
}
