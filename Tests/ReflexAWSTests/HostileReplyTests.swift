import Foundation
import ReflexAWS
import ReflexCore
import ReflexHTTP
import ReflexTestSupport
import Testing

/// Replies that try to keep Reflex busy or swell its memory and logs: paging that never ends,
/// a body that never ends, an enormous error message, and a reply that never comes while the
/// fetch is cancelled. Each ends as a bounded failure of the metrics it concerns.
struct HostileReplyTests {
    static let target = "GraniteServiceVersion20100801.GetMetricData"
    let query = MetricQueryFixtures.query("hostile")

    func fetch(_ emulator: AWSEmulator, timeout: Duration = .seconds(10), log: LogCapture? = nil) async -> Result<MetricSeries, MetricsFailure>? {
        let client = log.map { emulator.client(.cloudWatch, timeout: timeout, logger: $0.logger("aws")) }
            ?? emulator.client(.cloudWatch, timeout: timeout)
        return await CloudWatchMetricsSource(client: client)
            .fetch([query], from: MetricQueryFixtures.minutesAgo(10), to: MetricQueryFixtures.minutesAgo(0))[query]
    }

    @Test func aRepeatedNextTokenFailsTheBatchAtOnce() async throws {
        let emulator = try AWSEmulator.start()
        // Had Reflex followed the token, it would have made all 200 calls and then got data.
        try await emulator.inject([.init(target: "GetMetricData", count: 200, nextToken: "same-token")])
        guard case let .failure(failure)? = await fetch(emulator) else { Issue.record("endless paging produced data"); return }
        #expect(failure.message.contains("GetMetricData repeated a page token"), "\(failure.message)")
        #expect(try await emulator.calls()[Self.target] == 2)
    }

    @Test func pagingIsBoundedEvenWithFreshTokens() async throws {
        let emulator = try AWSEmulator.start()
        let pages = CloudWatchMetricsSource.maxPagesPerBatch
        try await emulator.inject([.init(target: "GetMetricData", count: pages + 20, nextToken: "page-{n}")])
        guard case let .failure(failure)? = await fetch(emulator) else { Issue.record("endless paging produced data"); return }
        #expect(failure.message.contains("paging did not end after \(pages) pages"))
        #expect(try await emulator.calls()[Self.target] == pages)
    }

    @Test func cancellingAFetchAbortsTheCallInFlight() async throws {
        let emulator = try AWSEmulator.start()
        // The emulator holds the replies for 30 s; each attempt would time out after 20 s.
        try await emulator.inject([.init(target: "GetMetricData", delay: 30, count: 3)])
        let fetching = Task { await fetch(emulator, timeout: .seconds(20)) }
        #expect(try await eventually { try await emulator.calls()[Self.target] != nil })
        fetching.cancel()
        guard case let .failure(failure)? = await fetching.value else { Issue.record("a cancelled fetch produced data"); return }
        // Cancelled, not timed out, and not retried.
        #expect(failure.message == "GetMetricData cancelled")
        #expect(try await emulator.calls()[Self.target] == 1)
    }

    @Test func anEndlessReplyIsCutOffAtTheLimit() async throws {
        let emulator = try AWSEmulator.start()
        try await emulator.inject([.init(target: "GetMetricData", stream: true)])
        guard case let .failure(failure)? = await fetch(emulator) else { Issue.record("an endless reply produced data"); return }
        #expect(failure.message.contains("response too large: more than \(AWSClient.maxResponseBytes) bytes"))
        // An oversized answer would be oversized again: not retried.
        #expect(try await emulator.calls()[Self.target] == 1)
        let traffic = try await emulator.traffic()
        #expect(traffic.responseBytes < 2 * AWSClient.maxResponseBytes)
    }

    @Test func aHugeErrorMessageIsBoundedInTheFailureAndTheLog() async throws {
        let emulator = try AWSEmulator.start()
        try await emulator.inject([.init(target: "GetMetricData", status: 400, code: "ValidationError", messageBytes: 5_000_000)])
        let log = LogCapture()
        guard case let .failure(failure)? = await fetch(emulator, log: log) else { Issue.record("an error produced data"); return }
        #expect(failure.message.contains("ValidationError (HTTP 400): xxx"))
        #expect(failure.message.contains("… (\(5_000_000 - ExternalText.limit) bytes truncated)"))
        #expect(failure.message.utf8.count < 2 * ExternalText.limit)
        #expect(log.text.utf8.count < 4 * ExternalText.limit)
    }
}
