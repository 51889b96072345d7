import Foundation
import ReflexAudit
import ReflexCore
import ReflexTestSupport

/// A decision log with signed checkpoints, its key files, and a tamperer with write access.
struct SignedLogFixture {
    static let start = Date(timeIntervalSince1970: 1_767_225_600)

    let directory: String
    var path: String { directory + "/reflex.db" }
    var publicKey: String { directory + "/audit.pub" }
    let keyID: String

    /// Decisions 1-3, checkpoint 4 (start), decisions 5-7, checkpoint 8 (interval), 9-10.
    init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("reflex-signed-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let key = AuditSigningKey()
        try key.write(to: directory + "/audit.key")
        try key.publicKey.pem.write(toFile: directory + "/audit.pub", atomically: true, encoding: .utf8)
        keyID = key.publicKey.id
        let store = try DecisionStore(path: directory + "/reflex.db")
        var minute = 0
        func decisions(_ count: Int) throws {
            for _ in 0..<count {
                minute += 1
                _ = try store.append(DecisionRecord(
                    at: Self.start.addingTimeInterval(Double(minute) * 60), kind: .stateChange, policy: "p", target: "ecs:c/s",
                    stateFrom: "ok", stateTo: "firing", reason: "breached", detail: "decision at minute \(minute)", evidence: #"{"observed":0.05}"#))
            }
        }
        try decisions(3)
        _ = try store.appendCheckpoint(trigger: "start", at: Self.start.addingTimeInterval(Double(minute) * 60 + 1), key: key)
        try decisions(3)
        _ = try store.appendCheckpoint(trigger: "interval", at: Self.start.addingTimeInterval(Double(minute) * 60 + 1), key: key)
        try decisions(2)
    }

    /// Exports checkpoint `id` with the real binary to a file, and returns its path.
    func export(_ id: Int64) async throws -> String {
        let exported = try await ReflexBinary.run(["audit", "checkpoint", "export", String(id), "--db", path])
        guard exported.status == 0 else { throw EmulatorError(exported.stderr) }
        let file = directory + "/checkpoint-\(id).json"
        try exported.stdout.write(toFile: file, atomically: true, encoding: .utf8)
        return file
    }

    /// Runs `sql` as someone with write access to the file: triggers dropped first; then, from
    /// decision `recomputeFrom`, recomputes every `prev_hash` and `hash` as docs/decision-log.md
    /// describes the chain, in Python's own SHA-256, as a tamperer would.
    func tamper(_ sql: String, recomputeFrom: Int64? = nil) async throws {
        let script = """
            import hashlib, sqlite3, sys
            COLUMNS = ["id", "recorded_at", "kind", "policy", "policy_hash", "target", "state_from", "state_to", "reason", "detail",
                       "evidence", "action", "parameters", "mode", "intent_id", "aws_request_id", "outcome", "prev_hash"]
            def row_hash(row):
                text = ""
                for column in COLUMNS + [c for c in ("state_before", "change") if row[c] is not None]:
                    value = row[column]
                    text += column
                    if value is None: text += "~"
                    elif isinstance(value, int): text += "#%d" % value
                    else: text += ":%d:" % len(value.encode()) + value
                    text += "\\n"
                return hashlib.sha256(text.encode()).hexdigest()
            db = sqlite3.connect(sys.argv[1], isolation_level=None)
            db.row_factory = sqlite3.Row
            db.executescript("DROP TRIGGER IF EXISTS decisions_are_append_only; DROP TRIGGER IF EXISTS decisions_are_pruned_only;")
            db.executescript(sys.argv[2])
            start = int(sys.argv[3])
            if start > 0:
                before = db.execute("SELECT hash FROM decisions WHERE id < ? ORDER BY id DESC LIMIT 1", (start,)).fetchone()
                prev = before[0] if before else "0" * 64
                for row in db.execute("SELECT * FROM decisions WHERE id >= ? ORDER BY id", (start,)).fetchall():
                    row = dict(row)
                    row["prev_hash"] = prev
                    prev = row_hash(row)
                    db.execute("UPDATE decisions SET prev_hash = ?, hash = ? WHERE id = ?", (row["prev_hash"], prev, row["id"]))
            """
        let outcome = try await ReflexBinary.run(["-c", script, path, sql, String(recomputeFrom ?? 0)], executable: "/usr/bin/python3")
        guard outcome.status == 0 else { throw EmulatorError(outcome.stderr) }
    }

    /// `reflex audit verify` with `arguments` on the log.
    func verify(_ arguments: [String] = []) async throws -> ReflexBinary.Outcome {
        try await ReflexBinary.run(["audit", "verify", "--db", path] + arguments)
    }
}
