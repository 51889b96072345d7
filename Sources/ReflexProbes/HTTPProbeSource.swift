import Foundation
import ReflexCore
import ReflexHTTP

/// `http_probe` series: each probe runs on its own schedule (`every`), independent of the
/// poll, from the first fetch that asks for it; a period's value is the fraction of its probes
/// that got the expected status within the timeout. A probe that could not reach the server for
/// a reason that may be Reflex's own (its DNS, its socket: no connection made) counts as
/// missing, not as failed, so that a network problem on this host follows the policy's
/// missing-data rule instead of looking like an unhealthy service. Redirects are never
/// followed: a 3xx is not the expected status.
public actor HTTPProbeSource: MetricsSource {
    /// How long results are kept: longer than any probe policy's window.
    public static let retention: TimeInterval = 6 * 3600

    private let http: any HTTPClient
    private let now: @Sendable () -> Date
    /// Each probe's results: when, and healthy (true), unhealthy (false) or not counted (nil).
    private var results: [SeriesSource.HTTPProbe: [(at: Date, healthy: Bool?)]] = [:]
    private var loops: [SeriesSource.HTTPProbe: Task<Void, Never>] = [:]

    /// A source probing through `http`; `now` is the clock.
    public init(http: any HTTPClient, now: @escaping @Sendable () -> Date = Date.init) {
        self.http = http
        self.now = now
    }

    deinit {
        for loop in loops.values { loop.cancel() }
    }

    public nonisolated func metricsRequested(by queries: [MetricQuery], from start: Date, to end: Date) -> Int { 0 }

    public func fetch(_ queries: [MetricQuery], from start: Date, to end: Date) async -> [MetricQuery: Result<MetricSeries, MetricsFailure>] {
        var answers: [MetricQuery: Result<MetricSeries, MetricsFailure>] = [:]
        for query in Set(queries) {
            guard case let .httpProbe(probe) = query.source else { continue }
            guard let url = URL(string: probe.url), ["http", "https"].contains(url.scheme?.lowercased() ?? "") else {
                answers[query] = .failure(MetricsFailure("http_probe: '\(probe.url)' is not an http(s) URL"))
                continue
            }
            startProbing(probe, url: url)
            answers[query] = .success(series(of: probe, period: query.period, from: start, to: end))
        }
        return answers
    }

    private func series(of probe: SeriesSource.HTTPProbe, period: TimeSpan, from start: Date, to end: Date) -> MetricSeries {
        let grid = PeriodGrid(period: period)
        var counted: [Int: (healthy: Int, total: Int)] = [:]
        for result in results[probe] ?? [] where result.at >= start && result.at < end {
            guard let healthy = result.healthy else { continue }
            let key = grid.start(of: result.at)
            let sum = counted[key] ?? (0, 0)
            counted[key] = (sum.healthy + (healthy ? 1 : 0), sum.total + 1)
        }
        return MetricSeries(period: period, points: counted.mapValues { Double($0.healthy) / Double($0.total) })
    }

    private func startProbing(_ probe: SeriesSource.HTTPProbe, url: URL) {
        guard loops[probe] == nil else { return }
        let http = self.http
        let clock = self.now
        loops[probe] = Task { [weak self] in
            while !Task.isCancelled {
                // A probe belongs to the period it was sent in, however long the answer took.
                let sent = clock()
                let healthy = await Self.probe(url, expecting: probe.expectStatus, timeout: probe.timeout, http: http)
                await self?.record(healthy, of: probe, sentAt: sent)
                try? await Task.sleep(for: .seconds(probe.every.seconds))
            }
        }
    }

    private func record(_ healthy: Bool?, of probe: SeriesSource.HTTPProbe, sentAt: Date) {
        let at = now()
        var kept = (results[probe] ?? []).filter { at.timeIntervalSince($0.at) < Self.retention }
        kept.append((sentAt, healthy))
        results[probe] = kept
    }

    /// One probe: true for the expected status in time, false for another status, a timeout or
    /// a TLS failure, nil when no connection could be made.
    static func probe(_ url: URL, expecting status: Int, timeout: TimeSpan, http: any HTTPClient) async -> Bool? {
        let limit = Duration.seconds(timeout.seconds)
        let request = HTTPRequest(method: "GET", url: url, connectTimeout: limit, timeout: limit, maxResponseBytes: 64 * 1024)
        do {
            return try await http.send(request).status == status
        } catch let error as HTTPError {
            switch error {
            case .dns, .connect: return nil
            case .timeout, .tls, .responseTooLarge, .transport: return false
            }
        } catch {
            return nil
        }
    }
}
