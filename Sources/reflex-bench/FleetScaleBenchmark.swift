import Foundation
import ReflexTestSupport

/// ONE fleet policy over 1,000 and 10,000 DynamoDB tables, 2% of them throttled: the daemon's
/// first cycle (discovery, fetch, evaluation, every instance's first state change recorded)
/// and its steady cycles (fetch and evaluation), each run in a fresh process (`FleetCycleRun`).
/// 1,000 tables against the emulator; 1,000 and 10,000 against `SyntheticAWS` in process, as the
/// emulator takes minutes to create and list 10,000 tables and to answer their metrics.
///
/// With `unguarded`, also the largest fleet with a policy without guardrails over 20 steady
/// cycles: every firing instance then makes a dry-run decision every cycle, and reads every
/// action of the look-back window from the log before it does.
struct FleetScaleBenchmark {
    let sizes: [Int]
    /// Sizes also run against the emulator.
    let emulatorSizes: [Int]
    let unguarded: Bool
    let directory: String
    let firingEvery = 50

    func run() async throws -> [Measurement] {
        var runs: [FleetCycleRun] = []
        for size in emulatorSizes {
            let emulator = try AWSEmulator.start()
            let now = minuteNow()
            try await FleetFixture(tables: size, firingEvery: firingEvery, prefix: "bench-fleet-", digits: 5)
                .seed(emulator, at: now, minutesAfter: FleetCycleRun.steadyCycles)
            runs.append(try child(tables: size, source: "emulator", at: now, environment: emulator.environment))
            emulator.stop()
        }
        for size in sizes {
            runs.append(try child(tables: size, source: "synthetic", at: minuteNow(), environment: [:]))
        }
        var results = runs.flatMap(report)
        if unguarded, let size = sizes.max() {
            results += reportUnguarded(try child(tables: size, source: "synthetic", at: minuteNow(), environment: [:], steadyCycles: 20, guarded: false))
        }
        return results
    }

    /// Runs one `FleetCycleRun` in a process of its own and reads its figures.
    private func child(tables: Int, source: String, at now: Date, environment: [String: String],
                       steadyCycles: Int = FleetCycleRun.steadyCycles, guarded: Bool = true) throws -> FleetCycleRun {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: CommandLine.arguments[0])
        process.arguments = FleetCycleRun.arguments(tables: tables, source: source, firingEvery: firingEvery, at: now,
                                                    directory: directory + "/\(source)-\(tables)-\(guarded ? "guarded" : "unguarded")",
                                                    steadyCycles: steadyCycles, guarded: guarded)
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw BenchmarkError("the fleet run (\(tables), \(source)) failed (status \(process.terminationStatus))") }
        let run = try JSONDecoder().decode(FleetCycleRun.self, from: data)
        let expected = (tables + firingEvery - 1) / firingEvery
        guard run.instances == tables, run.firing == expected else {
            throw BenchmarkError("the fleet run (\(tables), \(source)) judged \(run.instances) instances, \(run.firing) firing; expected \(tables), \(expected)")
        }
        return run
    }

    private func report(_ run: FleetCycleRun) -> [Measurement] {
        let origin = run.source == "emulator" ? "emulator" : "in-process synthetic AWS"
        let section = "fleet, 1 policy, \(run.instances) instances (\(origin))"
        let steadyCPU = Stopwatch.median(run.steady.map(\.cpuSeconds)), steadyWall = Stopwatch.median(run.steady.map(\.seconds))
        let steadyCalls = run.steady.map { $0.calls[Operation.getMetricData, default: 0] }.max() ?? 0
        let queries = run.instances
        let expected = (queries + 499) / 500
        let firstCalls = run.first.calls
        func calls(_ calls: [String: Int]) -> String {
            calls.sorted { $0.key < $1.key }.map { "\($0.key.split(separator: ".").last ?? Substring($0.key)) \($0.value)" }.joined(separator: ", ")
        }
        let http = run.source == "emulator" ? "over HTTP to the emulator" : "no HTTP; the stand-in's own CPU left out"
        return [
            Measurement(section: section, name: "first cycle: Reflex CPU", value: run.first.cpuSeconds * 1000, unit: "ms",
                        note: "discovery + fetch + evaluate + \(run.stateChanges) state changes recorded + \(run.firing) firing through the guardrails; \(http)"),
            Measurement(section: section, name: "first cycle: wall time", value: run.first.seconds * 1000, unit: "ms",
                        note: "calls: \(calls(firstCalls))"),
            Measurement(section: section, name: "steady cycle: Reflex CPU", value: steadyCPU * 1000, unit: "ms",
                        note: "median of \(run.steady.count); fetch + evaluate + guardrails + status; nothing changes, discovery not due"),
            Measurement(section: section, name: "steady cycle: wall time", value: steadyWall * 1000, unit: "ms",
                        note: "median of \(run.steady.count)"),
            Measurement(section: section, name: "GetMetricData calls per cycle", value: Double(steadyCalls), unit: "calls",
                        note: "\(queries) metrics; target ceil(\(queries)/500) = \(expected): \(steadyCalls == expected ? "met" : "not met")"),
            Measurement(section: section, name: "RSS after \(1 + run.steady.count) cycles", value: run.endMebibytes, unit: "MiB",
                        note: String(format: "peak %.1f MiB; %.1f MiB at start (the process before the daemon)", run.peakMebibytes, run.startMebibytes)),
        ]
    }
}

extension FleetScaleBenchmark {
    /// The unguarded run: how the steady cycle's CPU grows as dry-run decisions pile up.
    private func reportUnguarded(_ run: FleetCycleRun) -> [Measurement] {
        let section = "fleet, 1 policy, \(run.instances) instances (in-process synthetic AWS)"
        let second = run.steady.first?.cpuSeconds ?? 0, last = run.steady.last?.cpuSeconds ?? 0
        return [
            Measurement(section: section, name: "no guardrails: Reflex CPU, cycle \(1 + run.steady.count)", value: last * 1000, unit: "ms",
                        note: String(format: "cycle 2: %.0f ms; %d firing instances each make a dry-run decision every cycle and read every "
                                     + "action of the look-back window from the log first (ActionPipeline.act, DecisionStore.actions(since:))",
                                     second * 1000, run.firing)),
        ]
    }
}
