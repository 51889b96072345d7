import Foundation
import Logging
import ReflexAudit
import ReflexCore
import ReflexRuntime

/// What the daemon buys from CloudWatch: the real `Daemon` on a simulated clock, polling every
/// `pollSeconds` for `hours` hours over policies of mixed periods, its metrics requested set
/// beside the floor (each series once per period) and beside fetching every series at every poll.
struct CostBenchmark {
    let policies: Int
    let hours: Int
    let pollSeconds: Int
    let directory: String

    /// Six in ten policies read one-minute metrics, three five-minute ones, one hourly ones.
    static let periods: [TimeSpan] = [.minutes(1), .minutes(5), .minutes(1), .minutes(5), .minutes(1), .hours(1), .minutes(1), .minutes(5), .minutes(1),
                                      .minutes(1)]

    func run() async throws -> [Measurement] {
        let section = "cost"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let definitions = try PolicyCorpus.policies(count: policies, periods: Self.periods)
        let store = try DecisionStore(path: directory + "/cost.db")
        let clock = ManualClock()
        let logger = Logger(label: "bench", factory: { _ in SwiftLogNoOpLogHandler() })
        let metrics = CountingMetrics()
        let pipeline = ActionPipeline(ledger: store, actuator: IdleActuator(), notifier: LogNotifier(logger: logger),
                                      settings: ActionPipelineSettings(), now: { clock.now })
        let daemon = Daemon(
            policySet: PolicySetVersion(policies: definitions, hashes: [:]), pollInterval: TimeSpan(seconds: pollSeconds), metrics: metrics,
            pipeline: pipeline, ledger: store, records: store, notifier: LogNotifier(logger: logger), manager: SilentManager(),
            logger: logger, safeModeDefault: false, loadPolicies: { throw BenchmarkError("no reload") }, now: { clock.now })

        let polls = hours * 3600 / pollSeconds
        let cpu = ProcessCPU.seconds
        for _ in 0...polls {
            await daemon.cycle()
            while await daemon.cyclesWithActionsInFlight > 0 { try await Task.sleep(for: .milliseconds(1)) }
            clock.advance(Double(pollSeconds))
        }
        let cpuSeconds = ProcessCPU.seconds - cpu

        let fetches = metrics.fetches
        let requested = try AuditReader(store: store).daemonStatus()?.metricsRequested ?? 0
        guard requested == fetches.reduce(0, +), let first = fetches.first else { throw BenchmarkError("the daemon's count is not the source's") }
        let series = Set(definitions.flatMap { $0.metrics.map(\.query) })
        let floor = series.reduce(0.0) { $0 + 3600 / Double($1.period.seconds) }
        let perHour = Double(requested - first) / Double(hours)
        let everyPoll = Double(series.count) * 3600 / Double(pollSeconds)
        let everyMinute = Double(series.count) * 60
        let mix = Dictionary(grouping: definitions, by: \.period).sorted { $0.key < $1.key }.map { "\($0.value.count) at \($0.key)" }.joined(separator: ", ")
        return [
            Measurement(section: section, name: "metrics requested an hour, \(policies) policies (\(mix)), poll every \(pollSeconds) s", value: perHour,
                        unit: "metrics/h",
                        note: String(format: "%d simulated hours after the first fetch (%d metrics); floor %.0f (x%.3f); every series at every poll %.0f (x%.1f), every minute %.0f (x%.2f)",
                                     hours, first, floor, perHour / floor, everyPoll, everyPoll / floor, everyMinute, everyMinute / floor)),
            Measurement(section: section, name: "GetMetricData-sized fetches an hour (same run)", value: Double(fetches.count - 1) / Double(hours),
                        unit: "fetches/h", note: "\(polls) polls; at every poll there would be \(3600 / pollSeconds) an hour"),
            Measurement(section: section, name: "Reflex CPU per poll (same run)", value: cpuSeconds * 1000 / Double(polls + 1), unit: "ms",
                        note: String(format: "%.1f s for %d polls (fetch, judge, status row), %d series", cpuSeconds, polls + 1, series.count)),
        ]
    }
}

/// The synthetic series, and the metrics each fetch asked for.
final class CountingMetrics: MetricsSource, @unchecked Sendable {
    private let lock = NSLock()
    private var counts: [Int] = []
    /// Each fetch's distinct queries, oldest first.
    var fetches: [Int] { lock.withLock { counts } }

    func fetch(_ queries: [MetricQuery], from start: Date, to end: Date) async -> [MetricQuery: Result<MetricSeries, MetricsFailure>] {
        lock.withLock { counts.append(Set(queries).count) }
        return SyntheticMetrics.series(queries, from: start, to: end, breachingEvery: nil)
    }
}
