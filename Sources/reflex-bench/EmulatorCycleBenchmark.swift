import Foundation
import ReflexAWS
import ReflexCore
import ReflexTestSupport

/// One evaluation cycle as the daemon runs it (one batched fetch from CloudWatch, then every
/// policy judged), against the local emulator, with 100 and 1,000 policies over distinct metrics.
struct EmulatorCycleBenchmark {
    let sizes: [Int]
    let emulator: AWSEmulator

    func run() async throws -> [Measurement] {
        let section = "cycle vs emulator"
        let now = Date(timeIntervalSince1970: (Date().timeIntervalSince1970 / 60).rounded(.down) * 60)
        let largest = try PolicyCorpus.policies(count: sizes.max() ?? 0)
        try await seed(largest, at: now)

        var results: [Measurement] = []
        for size in sizes {
            let policies = Array(largest.prefix(size))
            let metrics = MetricsWindow(policies: policies, at: now).queries.count
            let cycle = try await CycleMeasurement.median(of: 3, policies: policies, emulator: emulator, at: now)
            let calls = cycle.traffic.operations["GraniteServiceVersion20100801.GetMetricData", default: 0]
            let expected = (metrics + CloudWatchMetricsSource.queriesPerCall - 1) / CloudWatchMetricsSource.queriesPerCall
            results += [
                Measurement(section: section, name: "cycle wall time, \(size) policies", value: cycle.seconds * 1000, unit: "ms",
                            note: "median of 3; \(metrics) metrics, \(cycle.firing) firing; mostly the emulator's own time"),
                Measurement(section: section, name: "Reflex CPU per cycle, \(size) policies", value: cycle.cpuSeconds * 1000, unit: "ms",
                            note: "user + system time of this process during the cycle"),
                Measurement(section: section, name: "GetMetricData calls, \(size) policies", value: Double(calls), unit: "calls",
                            note: "\(cycle.traffic.requests) requests in all; target ceil(\(metrics)/500) = \(expected): \(calls == expected ? "met" : "not met")"),
                Measurement(section: section, name: "bytes per cycle, \(size) policies", value: Double(cycle.traffic.requestBytes + cycle.traffic.responseBytes) / 1024,
                            unit: "KiB", note: "\(cycle.traffic.requestBytes / 1024) KiB sent, \(cycle.traffic.responseBytes / 1024) KiB received (bodies)"),
            ]
        }
        return results
    }

    /// Puts the synthetic series of every policy's metrics into the emulator.
    private func seed(_ policies: [Policy], at now: Date) async throws {
        let window = MetricsWindow(policies: policies, at: now)
        let series = SyntheticMetrics.series(window.queries, from: window.start, to: window.end, breachingEvery: 50)
        let seeded = window.queries.compactMap { query -> SeededSeries? in
            guard case let .success(values)? = series[query] else { return nil }
            let points = values.points.sorted { $0.key < $1.key }.map { (Date(timeIntervalSince1970: Double($0.key)), $0.value) }
            return SeededSeries(metric: query.metric, dimensions: Dictionary(uniqueKeysWithValues: query.dimensions.map { ($0.name, $0.value) }),
                                points: points)
        }
        try await emulator.putMetricData(namespace: "Bench", series: seeded)
    }
}

/// The figures of one in-process cycle: fetch every policy's metrics, then evaluate them all.
struct CycleMeasurement {
    let seconds: Double
    let cpuSeconds: Double
    let firing: Int
    let traffic: Traffic

    static func measure(_ policies: [Policy], emulator: AWSEmulator, at now: Date) async throws -> CycleMeasurement {
        // The emulator is far slower than CloudWatch with thousands of queries: allow it time.
        let source = CloudWatchMetricsSource(client: emulator.client(.cloudWatch, timeout: .seconds(300)))
        _ = try await emulator.traffic(reset: true)
        let cpu = ProcessCPU.seconds
        let start = DispatchTime.now().uptimeNanoseconds
        let window = MetricsWindow(policies: policies, at: now)
        let fetched = FetchedMetrics(await source.fetch(window.queries, from: window.start, to: window.end))
        var firing = 0, failed: Evaluation?
        for policy in policies {
            let evaluation = PolicyEvaluator.evaluate(policy, series: fetched.series(for: policy), previous: .ok, at: now)
            if evaluation.status == .firing { firing += 1 }
            if evaluation.status == .error { failed = evaluation }
        }
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        let cpuSeconds = ProcessCPU.seconds - cpu
        if let failed { throw BenchmarkError("the cycle could not read its metrics: \(failed.reason.summary)") }
        return CycleMeasurement(seconds: seconds, cpuSeconds: cpuSeconds, firing: firing, traffic: try await emulator.traffic())
    }

    /// The cycle with the median wall time of `runs`.
    static func median(of runs: Int, policies: [Policy], emulator: AWSEmulator, at now: Date) async throws -> CycleMeasurement {
        var cycles: [CycleMeasurement] = []
        for _ in 0..<runs { cycles.append(try await measure(policies, emulator: emulator, at: now)) }
        return cycles.sorted { $0.seconds < $1.seconds }[runs / 2]
    }
}

/// CPU time this process has used.
enum ProcessCPU {
    static var seconds: Double {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        func seconds(_ time: timeval) -> Double { Double(time.tv_sec) + Double(time.tv_usec) / 1e6 }
        return seconds(usage.ru_utime) + seconds(usage.ru_stime)
    }
}
