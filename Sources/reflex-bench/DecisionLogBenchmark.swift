import Foundation
import ReflexAudit
import ReflexCore

/// The decision log's figures: sustained single-decision appends (each its own durable
/// commit, as the daemon writes intents), query latency over a large log, and size on disk.
struct DecisionLogBenchmark {
    /// Rows in the large log.
    let rows: Int
    /// Single appends to time.
    let appends: Int
    let directory: String

    func run() throws -> [Measurement] {
        let section = "decision log"
        var results: [Measurement] = []

        let small = try DecisionStore(path: directory + "/appends.db")
        let now = Date()
        let appendSeconds = try Stopwatch.seconds {
            for index in 0..<appends { _ = try small.append(record(index, now: now, policies: 100)) }
        }
        results.append(Measurement(section: section, name: "single appends (synchronous=FULL)", value: Double(appends) / appendSeconds,
                                   unit: "decisions/s", note: "\(appends) appends, one durable commit each"))

        let path = directory + "/large.db"
        let large = try DecisionStore(path: path)
        let batch = 10_000
        // Thirty days of decisions from 100 policies, newest last.
        let span = 30.0 * 86_400
        let start = now.addingTimeInterval(-span)
        let buildSeconds = try Stopwatch.seconds {
            for first in stride(from: 0, to: rows, by: batch) {
                let records = (first..<min(first + batch, rows)).map { index in
                    record(index, now: start.addingTimeInterval(span * Double(index) / Double(rows)), policies: 100)
                }
                _ = try large.append(contentsOf: records)
            }
        }
        results.append(Measurement(section: section, name: "batched appends (10,000 per commit)", value: Double(rows) / buildSeconds,
                                   unit: "decisions/s", note: "building the \(rows)-row log"))

        let reader = try AuditReader(path: path)
        let filter = DecisionFilter(since: now.addingTimeInterval(-86_400), policy: "policy-42")
        var listed = 0
        let listSeconds = try Stopwatch.median(runs: 21) { listed = try reader.list(filter, limit: 50).count }
        results.append(Measurement(section: section, name: "audit list --policy X --since 24h", value: listSeconds * 1000, unit: "ms",
                                   note: "median of 21 over \(rows) rows, \(listed) returned; target < 50 ms: \(listSeconds < 0.05 ? "met" : "not met")"))

        var verified = 0
        let verifySeconds = try Stopwatch.seconds {
            if case let .intact(count, _, _) = try reader.verify() { verified = count }
        }
        results.append(Measurement(section: section, name: "audit verify", value: verifySeconds, unit: "s",
                                   note: "\(verified) rows intact"))

        try large.checkpoint()
        let bytes = (try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
        results.append(Measurement(section: section, name: "size per million decisions", value: Double(bytes) / Double(rows) * 1e6 / 1_048_576,
                                   unit: "MiB", note: "realistic rows with evidence JSON, indexes included"))
        return results
    }

    /// A realistic decision: a state change with its evidence, or an action.
    private func record(_ index: Int, now: Date, policies: Int) -> DecisionRecord {
        let evidence = #"{"comparator":">","observed":0.042,"periods":[{"breaching":true,"start":"2026-11-26T12:00:00Z","values":{"errors":42,"requests":1000}},{"breaching":true,"start":"2026-11-26T11:59:00Z","values":{"errors":40,"requests":1000}}],"threshold":0.01}"#
        return DecisionRecord(
            at: now, kind: index.isMultiple(of: 4) ? .actionHeld : .stateChange, policy: "policy-\(index % policies)",
            policyHash: String(repeating: "ab", count: 32), target: "ecs:ecommerce/service-\(index % policies)",
            stateFrom: "pending", stateTo: "firing", reason: index.isMultiple(of: 4) ? "cooldown" : "breached",
            detail: "2 of 3 periods breach (3 needed)", evidence: evidence, mode: "enforce")
    }
}
