import Foundation
import GRDB
import ReflexAudit
import ReflexCore

enum AuditFixtures {
    static func temporaryPath(_ name: String = "reflex.db") -> String {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("reflex-audit-\(UUID().uuidString)")
        try! FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        return directory.appendingPathComponent(name).path
    }

    static let start = Date(timeIntervalSince1970: 1_767_225_600)

    static func record(_ index: Int, policy: String = "p", kind: DecisionKind = .stateChange) -> DecisionRecord {
        DecisionRecord(at: start.addingTimeInterval(Double(index) * 60), kind: kind, policy: policy, target: "ecs:c/s",
                       stateFrom: "ok", stateTo: "firing", reason: "breached", detail: "decision \(index)",
                       evidence: #"{"observed":0.05,"threshold":0.01}"#, mode: "enforce")
    }

    /// A log at a fresh path with `count` decisions.
    static func log(count: Int) throws -> (path: String, store: DecisionStore) {
        let path = temporaryPath()
        let store = try DecisionStore(path: path)
        for index in 1...count { _ = try store.append(record(index)) }
        return (path, store)
    }

    /// Runs raw SQL as a tamperer with direct file access would: triggers dropped first.
    static func tamper(_ path: String, _ sql: String) throws {
        let queue = try DatabaseQueue(path: path)
        try queue.write { db in
            try db.execute(sql: "DROP TRIGGER IF EXISTS decisions_are_append_only; DROP TRIGGER IF EXISTS decisions_are_pruned_only")
            try db.execute(sql: sql)
        }
    }
}
