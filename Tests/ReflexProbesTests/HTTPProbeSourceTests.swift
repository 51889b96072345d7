import Foundation
import ReflexCore
import ReflexHTTP
import ReflexProbes
import ReflexTestSupport
import Testing

/// Probes of a real local HTTP server, one a second in two-second periods: healthy answers,
/// then unhealthy ones, then no server at all.
@Suite(.serialized)
struct HTTPProbeSourceTests {
    static let period = TimeSpan(seconds: 2)

    /// The values of the periods that lie wholly between `from` and `to`, by period start.
    func values(_ source: HTTPProbeSource, _ query: MetricQuery, from: Date, to: Date) async throws -> [Int: Double?] {
        let answers = await source.fetch([query], from: from.addingTimeInterval(-10), to: to.addingTimeInterval(10))
        let series = try #require(try answers[query]?.get())
        let first = (Int(from.timeIntervalSince1970.rounded(.up)) + 1) / 2 * 2
        let last = Int(to.timeIntervalSince1970) / 2 * 2 - 2
        return Dictionary(uniqueKeysWithValues: stride(from: first, through: last, by: 2).map { ($0, series.value(at: $0)) })
    }

    /// The periods since `from` once at least two of them hold a value (the machine may be too
    /// busy to probe every second), waiting up to a minute.
    func answered(_ source: HTTPProbeSource, _ query: MetricQuery, from: Date) async throws -> [Int: Double?] {
        let deadline = Date().addingTimeInterval(60)
        while true {
            let found = try await values(source, query, from: from, to: Date())
            if found.values.compactMap({ $0 }).count >= 2 || Date() > deadline { return found }
            try await Task.sleep(for: .seconds(1))
        }
    }

    @Test func aProbeSeriesIsTheFractionOfHealthyAnswersAndAGoneServerIsMissing() async throws {
        let server = try WebhookReceiver.start()
        // A generous timeout: on a loaded machine a slow answer must not read as a failed probe.
        let probe = SeriesSource.HTTPProbe(url: server.probeURL.absoluteString, expectStatus: 200, timeout: TimeSpan(seconds: 10),
                                           every: TimeSpan(seconds: 1))
        let query = MetricQuery(source: .httpProbe(probe), period: Self.period)
        let source = HTTPProbeSource(http: CurlHTTPClient())
        // The first fetch starts the probe; it has nothing to say yet.
        let started = Date()
        #expect(try await values(source, query, from: started, to: started).isEmpty)
        let healthy = try await answered(source, query, from: started).values.compactMap { $0 }
        #expect(healthy.count >= 2 && healthy.allSatisfy { $0 == 1 }, "\(healthy)")

        try await server.answerProbes(with: 503)
        let unhealthy = try await answered(source, query, from: Date()).values.compactMap { $0 }
        #expect(unhealthy.count >= 2 && unhealthy.allSatisfy { $0 == 0 }, "\(unhealthy)")

        // No server: the probes reach nothing, so their periods are missing, not failed.
        server.stop()
        let gone = Date()
        try await Task.sleep(for: .seconds(5))
        let missing = try await values(source, query, from: gone, to: Date())
        #expect(!missing.isEmpty && missing.values.allSatisfy { $0 == nil }, "\(missing)")
        await source.stop()
    }
}
