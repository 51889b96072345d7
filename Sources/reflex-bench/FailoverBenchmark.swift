import Foundation
import ReflexAudit
import ReflexTestSupport

/// Two real `reflex run` processes sharing one coordination table on the emulator (DynamoDB
/// served one request at a time, so conditional writes are atomic): how long a standby takes to
/// lead after the leader is killed with SIGKILL, over `kills` kills, and how many DynamoDB
/// requests a minute each node makes (what the pair costs).
struct FailoverBenchmark {
    let kills: Int
    let leaseSeconds: Int
    let heartbeatSeconds: Int
    let directory: String
    let binary: String

    /// One node: its directory, config and running process.
    final class Node {
        let name: String
        let directory: String
        var process: Process?

        init(name: String, directory: String) {
            self.name = name
            self.directory = directory
        }

        var database: String { directory + "/reflex.db" }

        /// The decisions recording that this node took the lease, so far.
        func acquisitions() -> Int { roleChanges("leader-acquired") }

        /// The decisions recording that this node became a standby, so far.
        func standbys() -> Int { roleChanges("standby") }

        private func roleChanges(_ event: String) -> Int {
            (try? AuditReader(path: database).list(DecisionFilter(reason: event, kind: "leadership-changed"), limit: 10_000).count) ?? 0
        }
    }

    func run() async throws -> [Measurement] {
        let emulator = try AWSEmulator.start(serialDynamoDB: true)
        defer { emulator.stop() }
        let nodes = try ["a", "b"].map { name in
            let node = Node(name: name, directory: directory + "/" + name)
            try FileManager.default.createDirectory(atPath: node.directory + "/policies", withIntermediateDirectories: true)
            try """
                policies: policies
                allow_no_policies: true
                database: \(node.database)
                poll_interval: 60s
                ha: { table: reflex-coordination, lease: \(leaseSeconds)s, heartbeat: \(heartbeatSeconds)s, node: \(name) }
                """.write(toFile: node.directory + "/reflex.yaml", atomically: true, encoding: .utf8)
            return node
        }
        defer { for node in nodes { node.process?.terminate() } }
        let environment = ProcessInfo.processInfo.environment.merging(emulator.environment) { $1 }
        func start(_ node: Node) throws {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: binary)
            process.arguments = ["run", "--config", node.directory + "/reflex.yaml"]
            process.environment = environment
            _ = FileManager.default.createFile(atPath: node.directory + "/daemon.log", contents: nil)
            let log = FileHandle(forWritingAtPath: node.directory + "/daemon.log")
            log?.seekToEndOfFile()
            process.standardError = log
            process.standardOutput = log
            try process.run()
            node.process = process
        }
        func until(_ timeout: TimeInterval, _ what: String, _ condition: () -> Bool) async throws {
            let deadline = Date().addingTimeInterval(timeout)
            while !condition() {
                guard Date() < deadline else { throw BenchmarkError("failover: \(what) within \(timeout) s") }
                try await Task.sleep(for: .milliseconds(20))
            }
        }
        func dynamoDBRequests() async throws -> [String: Int] {
            try await emulator.calls(reset: true).filter { $0.key.hasPrefix("DynamoDB_") }
        }

        // What each node costs: the leader alone for a minute, then with its standby.
        try start(nodes[0])
        try await until(60, "a first leader") { nodes[0].acquisitions() == 1 }
        _ = try await dynamoDBRequests()
        try await Task.sleep(for: .seconds(60))
        let leaderAlone = try await dynamoDBRequests()
        try start(nodes[1])
        try await until(60, "a standby") { nodes[1].standbys() == 1 }
        _ = try await dynamoDBRequests()
        try await Task.sleep(for: .seconds(60))
        let both = try await dynamoDBRequests()
        let leaderPerMinute = Double(leaderAlone.values.reduce(0, +))
        let standbyPerMinute = Double(both.values.reduce(0, +)) - leaderPerMinute

        // Takeovers: kill the leader, time the other's acquisition, restart the killed one as standby.
        var leader = 0
        var takeovers: [Double] = []
        for _ in 0..<kills {
            let standby = 1 - leader
            let acquired = nodes[standby].acquisitions()
            let standbyCount = nodes[leader].standbys()
            // At a random moment of the heartbeat: right after the standby's read, the lease
            // runs from the kill; right before it, from the last renewal it saw.
            try await Task.sleep(for: .milliseconds(Int.random(in: 0..<(heartbeatSeconds * 1000))))
            let killedAt = DispatchTime.now().uptimeNanoseconds
            if let process = nodes[leader].process { kill(process.processIdentifier, SIGKILL); process.waitUntilExit() }
            try await until(Double(leaseSeconds * 4), "a takeover") { nodes[standby].acquisitions() > acquired }
            takeovers.append(Double(DispatchTime.now().uptimeNanoseconds - killedAt) / 1e9)
            try start(nodes[leader])
            try await until(60, "the restarted node as standby") { nodes[leader].standbys() > standbyCount }
            leader = standby
        }
        let settings = "lease \(leaseSeconds) s, heartbeat \(heartbeatSeconds) s"
        let operations = { (calls: [String: Int]) in
            calls.sorted { $0.key < $1.key }.map { "\($0.key.replacingOccurrences(of: "DynamoDB_20120810.", with: "")) \($0.value)" }.joined(separator: ", ")
        }
        return [
            Measurement(section: "failover", name: "takeover after SIGKILL of the leader, median of \(kills)", value: Stopwatch.median(takeovers),
                        unit: "s", note: "\(settings), killed at a random moment of the heartbeat"),
            Measurement(section: "failover", name: "takeover after SIGKILL of the leader, max of \(kills)", value: takeovers.max() ?? 0,
                        unit: "s", note: "min \(String(format: "%.1f", takeovers.min() ?? 0)) s"),
            Measurement(section: "failover", name: "DynamoDB requests per minute, leader", value: leaderPerMinute, unit: "req/min",
                        note: "poll 60 s; \(operations(leaderAlone))"),
            Measurement(section: "failover", name: "DynamoDB requests per minute, standby", value: standbyPerMinute, unit: "req/min",
                        note: "poll 60 s; leader and standby together: \(operations(both))"),
        ]
    }
}
