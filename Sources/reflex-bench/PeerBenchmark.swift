import Foundation
import ReflexAWS
import ReflexCore
import ReflexPolicyFile
import ReflexTestSupport

/// Reflex beside what teams use today, on the same emulator and data: 100 DynamoDB tables,
/// every tenth of them throttled, each watched for `ThrottledRequests`.
///
/// - `reflex plan` (one process: load policies, one fetch, evaluate, read the firing targets);
/// - the daemon's own cycle (in process: no start-up, as `reflex run` pays it every poll);
/// - Cloud Custodian: a `dynamodb-table` policy with a `metrics` filter, `--dryrun`, cache off;
/// - the runbook's shell loop: one `aws cloudwatch get-metric-statistics` per table.
struct PeerBenchmark {
    let tables: Int
    let emulator: AWSEmulator
    let directory: String
    let reflexBinary: String
    /// The `custodian` executable (its own virtualenv), or nil to leave it out.
    let custodian: String?
    /// The `aws` executable (AWS CLI v1), or nil to leave the shell loop out.
    let awsCLI: String?

    func run() async throws -> [Measurement] {
        try FileManager.default.createDirectory(atPath: directory + "/policies", withIntermediateDirectories: true)
        let now = Date(timeIntervalSince1970: (Date().timeIntervalSince1970 / 60).rounded(.down) * 60)
        try await seed(at: now)
        try writeReflexFiles()

        var peers: [(name: String, figures: PeerFigures)] = []
        let planLog = directory + "/plan.json"
        peers.append(("reflex plan", try await measure(runs: 3) {
            try ChildRun.run(reflexBinary, ["plan", "--config", directory + "/reflex.yaml", "--format", "json"], environment: environment, log: planLog)
        } matched: {
            try occurrences(of: #""state" : "firing""#, in: planLog)
        }))
        let loaded = try PolicyLoader.load(paths: [directory + "/policies"])
        let cycle = try await CycleMeasurement.median(of: 3, policies: loaded.policies.map(\.policy), emulator: emulator, at: now)
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
        let expected = (tables + 9) / 10
        if let wrong = peers.first(where: { $0.figures.matched != expected }) {
            throw BenchmarkError("\(wrong.name) found \(wrong.figures.matched) throttled tables, not \(expected): the comparison would be unfair")
        }
        return report(peers)
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

    private func report(_ peers: [(name: String, figures: PeerFigures)]) -> [Measurement] {
        let section = "vs peers, \(tables) tables"
        let plan = peers[0].figures, cycle = peers[1].figures
        var results: [Measurement] = []
        for (name, figures) in peers {
            let ratio = name.hasPrefix("reflex") ? "" : String(format: "; %.1fx reflex plan's time (%.0fx the daemon cycle's), %.1fx its requests",
                                                                figures.seconds / plan.seconds, figures.seconds / cycle.seconds,
                                                                Double(figures.traffic.requests) / Double(plan.traffic.requests))
            results.append(Measurement(section: section, name: "\(name): wall time per evaluation", value: figures.seconds * 1000, unit: "ms",
                                       note: "\(figures.traffic.requests) HTTP requests, \(figures.matched) throttled found\(ratio)"))
            if let peak = figures.peakMebibytes {
                let memory = name.hasPrefix("reflex") ? "" : String(format: "%.1fx reflex plan's", peak / (plan.peakMebibytes ?? peak))
                results.append(Measurement(section: section, name: "\(name): peak RSS", value: peak, unit: "MiB", note: memory))
            }
        }
        return results
    }

    /// 100 tables, and five minutes of `ThrottledRequests` for each; every tenth is throttled.
    private func seed(at now: Date) async throws {
        struct CreateTable: Encodable, Sendable {
            struct Attribute: Encodable, Sendable { let AttributeName: String; let AttributeType = "S" }
            struct Key: Encodable, Sendable { let AttributeName: String; let KeyType = "HASH" }
            struct Throughput: Encodable, Sendable { let ReadCapacityUnits = 100; let WriteCapacityUnits = 50 }
            let TableName: String
            let AttributeDefinitions = [Attribute(AttributeName: "id")]
            let KeySchema = [Key(AttributeName: "id")]
            let ProvisionedThroughput = Throughput()
        }
        struct Created: Decodable, Sendable {}
        let dynamoDB = emulator.client(.dynamoDB)
        var series: [SeededSeries] = []
        for index in 0..<tables {
            _ = try await dynamoDB.call("CreateTable", CreateTable(TableName: table(index)), as: Created.self)
            let value = index.isMultiple(of: 10) ? 50.0 : 0
            series.append(SeededSeries(metric: "ThrottledRequests", dimensions: ["TableName": table(index)],
                                       points: (1...5).map { (now.addingTimeInterval(-60 * Double($0)), value) }))
        }
        try await emulator.putMetricData(namespace: "AWS/DynamoDB", series: series)
    }

    private func table(_ index: Int) -> String { "bench-table-\(index)" }

    private func occurrences(of needle: String, in file: String) throws -> Int {
        try String(contentsOfFile: file, encoding: .utf8).components(separatedBy: needle).count - 1
    }

    private func writeReflexFiles() throws {
        var text = "policies:\n"
        for index in 0..<tables {
            text += """
              - name: throttled-\(index)
                mode: dry-run
                metrics:
                  throttles: { namespace: AWS/DynamoDB, metric: ThrottledRequests, dimensions: { TableName: \(table(index)) }, stat: Sum, period: 1m }
                condition: throttles > 25
                for: 3m
                missing_data: not-breaching
                target: { dynamodb_table: { name: \(table(index)) } }
                action: { dynamodb_capacity: { read: { factor: 2, max: 400 } } }

            """
        }
        try text.write(toFile: directory + "/policies/tables.yaml", atomically: true, encoding: .utf8)
        try "region: us-east-1\npolicies: policies\ndatabase: reflex.db\n".write(toFile: directory + "/reflex.yaml", atomically: true, encoding: .utf8)
    }

    /// The same judgement in Cloud Custodian: the sum over the last five minutes above 25.
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
        for index in $(seq 0 \(tables - 1)); do
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
}
