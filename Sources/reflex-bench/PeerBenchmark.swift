import Foundation
import ReflexAWS
import ReflexCore
import ReflexTestSupport

/// Reflex beside what teams use today, on the same emulator and data: 100 DynamoDB tables
/// tagged `team: bench`, each watched for `ThrottledRequests` by ONE policy of each tool, in two
/// scenarios: every tenth table throttled, then every other one (the firing tables' targets
/// are read: Reflex reads them side by side, 16 at a time).
///
/// - `reflex plan` (one process: load the fleet policy, discover the tables, one fetch,
///   evaluate, read the firing targets);
/// - the daemon's own cycle (in process: no start-up and no discovery, as `reflex run` pays it
///   every poll; it discovers every 5 minutes);
/// - Cloud Custodian: one `dynamodb-table` policy with a `metrics` filter, `--dryrun`, cache off;
/// - the runbook's shell loop: one `aws cloudwatch get-metric-statistics` per table (first
///   scenario only: it takes a minute).
struct PeerBenchmark {
    let tables: Int
    let directory: String
    let reflexBinary: String
    /// The `custodian` executable (its own virtualenv), or nil to leave it out.
    let custodian: String?
    /// The `aws` executable (AWS CLI v1), or nil to leave the shell loop out.
    let awsCLI: String?

    func run() async throws -> [Measurement] {
        var results: [Measurement] = []
        for (firingEvery, shellLoop) in [(10, true), (2, false)] {
            // A fresh emulator for each scenario: the same data for every tool, none left over.
            let emulator = try AWSEmulator.start()
            defer { emulator.stop() }
            let fleet = FleetFixture(tables: tables, firingEvery: firingEvery, prefix: "bench-table-", digits: 0)
            results += try await Scenario(fleet: fleet, emulator: emulator, directory: directory + "/every-\(firingEvery)", reflexBinary: reflexBinary,
                                          custodian: custodian, awsCLI: shellLoop ? awsCLI : nil).run()
        }
        return results
    }
}

/// One scenario of the peer benchmark: the fleet seeded, then each tool once over it.
private struct Scenario {
    let fleet: FleetFixture
    let emulator: AWSEmulator
    let directory: String
    let reflexBinary: String
    let custodian: String?
    let awsCLI: String?

    func run() async throws -> [Measurement] {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let now = minuteNow()
        try await fleet.seed(emulator, at: now)
        try FleetFixture.writeReflexFiles(to: directory)

        var peers: [(name: String, figures: PeerFigures)] = []
        let planLog = directory + "/plan.json"
        peers.append(("reflex plan", try await measure(runs: 3) {
            try ChildRun.run(reflexBinary, ["plan", "--config", directory + "/reflex.yaml", "--format", "json"], environment: environment, log: planLog)
        } matched: {
            try occurrences(of: #""state" : "firing""#, in: planLog)
        }))

        // The daemon discovers the fleet at start and every 5 minutes; each poll is one fetch
        // and every instance judged.
        let policy = try FleetFixture.policy()
        _ = try await emulator.traffic(reset: true)
        var roster = FleetRoster()
        let started = DispatchTime.now().uptimeNanoseconds
        _ = roster.apply(await FleetFixture.discovery(emulator).candidates(for: FleetRoster.selectors(of: [policy])))
        let discoverySeconds = Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9
        let discoveryTraffic = try await emulator.traffic()
        let instances = roster.instances(of: [policy]).instances
        let cycle = try await CycleMeasurement.median(of: 3, policies: instances, emulator: emulator, at: now)
        peers.append(("reflex daemon cycle", PeerFigures(seconds: cycle.seconds, peakMebibytes: nil, traffic: cycle.traffic, matched: cycle.firing)))

        if let custodian {
            try custodianPolicy.write(toFile: directory + "/custodian.yaml", atomically: true, encoding: .utf8)
            peers.append(("Cloud Custodian", try await measure(runs: 3) {
                try ChildRun.run(custodian, ["run", "--dryrun", "--cache-period", "0", "-s", directory + "/custodian-out", directory + "/custodian.yaml"],
                                 environment: environment, log: directory + "/custodian.log")
            } matched: {
                try occurrences(of: #""TableName""#, in: directory + "/custodian-out/throttled-tables/resources.json")
            }))
        }
        if let awsCLI {
            try shellLoop(aws: awsCLI).write(toFile: directory + "/loop.sh", atomically: true, encoding: .utf8)
            peers.append(("runbook shell loop", try await measure(runs: 1) {
                try ChildRun.run("/bin/bash", [directory + "/loop.sh"], environment: environment, log: directory + "/loop.log")
            } matched: {
                try occurrences(of: "is throttled", in: directory + "/loop.log")
            }))
        }
        if let wrong = peers.first(where: { $0.figures.matched != fleet.expectedFiring }) {
            throw BenchmarkError("\(wrong.name) found \(wrong.figures.matched) throttled tables, not \(fleet.expectedFiring): the comparison would be unfair")
        }
        return report(peers, discovery: (discoverySeconds, discoveryTraffic, instances.count))
    }

    private var environment: [String: String] {
        emulator.environment.merging(["AWS_DEFAULT_REGION": "us-east-1", "HOME": directory, "PATH": "/usr/bin:/bin"]) { $1 }
    }

    /// The run with the median wall time of `runs`; `matched` counts the tables it found throttled.
    private func measure(runs: Int, _ body: () throws -> ChildRun, matched: () throws -> Int) async throws -> PeerFigures {
        var figures: [PeerFigures] = []
        for _ in 0..<runs {
            _ = try await emulator.traffic(reset: true)
            let run = try body()
            figures.append(PeerFigures(seconds: run.seconds, peakMebibytes: run.peakMebibytes, traffic: try await emulator.traffic(),
                                       matched: try matched()))
        }
        return figures.sorted { $0.seconds < $1.seconds }[runs / 2]
    }

    private func report(_ peers: [(name: String, figures: PeerFigures)], discovery: (seconds: Double, traffic: Traffic, instances: Int)) -> [Measurement] {
        let section = "vs peers, 1 policy over \(fleet.tables) tables, \(fleet.expectedFiring) firing"
        let plan = peers[0].figures, cycle = peers[1].figures
        var results: [Measurement] = []
        for (name, figures) in peers {
            var note = "\(figures.traffic.requests) HTTP request\(figures.traffic.requests == 1 ? "" : "s") (\(Self.operations(figures.traffic))), "
                + "\(figures.matched) throttled found"
            if !name.hasPrefix("reflex") {
                note += String(format: "; %.1fx reflex plan's time (%.0fx the daemon cycle's), %.1fx its requests",
                               figures.seconds / plan.seconds, figures.seconds / cycle.seconds, Double(figures.traffic.requests) / Double(plan.traffic.requests))
                if plan.describeTables > 0, figures.describeTables > 0 {
                    note += String(format: ", %.1fx its DescribeTable calls", Double(figures.describeTables) / Double(plan.describeTables))
                }
            } else if name == "reflex plan" {
                note += "; the firing tables read 16 at a time"
            }
            results.append(Measurement(section: section, name: "\(name): wall time per evaluation", value: figures.seconds * 1000, unit: "ms", note: note))
            if figures.describeTables > 0 || name == "reflex plan" {
                results.append(Measurement(section: section, name: "\(name): DescribeTable calls", value: Double(figures.describeTables), unit: "calls",
                                           note: name == "reflex plan" ? "one per firing table" : ""))
            }
            if let peak = figures.peakMebibytes {
                let memory = name.hasPrefix("reflex") ? "" : String(format: "%.1fx reflex plan's", peak / (plan.peakMebibytes ?? peak))
                results.append(Measurement(section: section, name: "\(name): peak RSS", value: peak, unit: "MiB", note: memory))
            }
        }
        results.append(Measurement(section: section, name: "reflex daemon: discovery", value: discovery.seconds * 1000, unit: "ms",
                                   note: "\(discovery.instances) instances; \(Self.operations(discovery.traffic)); at start, then every 5 minutes"))
        return results
    }

    /// Requests per operation, short names: `GetResources 2, GetMetricData 1`.
    static func operations(_ traffic: Traffic) -> String {
        traffic.operations.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }
            .map { "\($0.key.split(separator: ".").last.map(String.init) ?? $0.key) \($0.value)" }.joined(separator: ", ")
    }

    private func occurrences(of needle: String, in file: String) throws -> Int {
        try String(contentsOfFile: file, encoding: .utf8).components(separatedBy: needle).count - 1
    }

    /// The same judgement in ONE Cloud Custodian policy: the sum over the last five minutes
    /// above 75 (25 a minute). It covers every table: the account holds only the fleet's. (A
    /// `tag:team` filter is left out: Custodian looks tags up 100 ARNs at a time, and the
    /// emulator answers only 50 of them, which would hide half the fleet from it.)
    private var custodianPolicy: String {
        """
        policies:
          - name: throttled-tables
            resource: aws.dynamodb-table
            filters:
              - type: metrics
                name: ThrottledRequests
                statistics: Sum
                days: 0.0035
                period: 300
                value: 75
                op: greater-than

        """
    }

    /// The runbook's command once per table, with the threshold checked in the shell.
    private func shellLoop(aws: String) -> String {
        """
        set -eu
        start=$(date -u -d '5 minutes ago' +%Y-%m-%dT%H:%M:%SZ)
        end=$(date -u +%Y-%m-%dT%H:%M:%SZ)
        for index in $(seq 0 \(fleet.tables - 1)); do
          sum=$(\(aws) cloudwatch get-metric-statistics --namespace AWS/DynamoDB --metric-name ThrottledRequests \\
            --dimensions Name=TableName,Value=bench-table-$index --start-time "$start" --end-time "$end" \\
            --period 300 --statistics Sum --query 'Datapoints[0].Sum' --output text)
          if [ "$sum" != "None" ] && [ "${sum%.*}" -gt 75 ]; then echo "bench-table-$index is throttled ($sum)"; fi
        done

        """
    }
}

/// One tool's figures for one evaluation of all the tables.
struct PeerFigures {
    let seconds: Double
    /// Nil for the in-process daemon cycle, whose memory is the benchmark's own.
    let peakMebibytes: Double?
    let traffic: Traffic
    /// How many tables it found throttled (each tool must find the same ones).
    let matched: Int

    /// The DescribeTable calls it made.
    var describeTables: Int { traffic.operations[Operation.describeTable, default: 0] }
}
