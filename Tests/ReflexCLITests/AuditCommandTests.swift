import Foundation
import GRDB
import ReflexAudit
import ReflexCore
import Testing

struct AuditCommandTests {
    static let start = Date(timeIntervalSince1970: 1_767_225_600)

    /// A log with decisions of two policies, one hour apart, and the policy text of the first.
    func makeLog() throws -> String {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("reflex-audit-cli-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let path = directory + "/reflex.db"
        let store = try DecisionStore(path: path)
        let hash = try store.recordPolicyVersion(name: "rollback", text: "policies:\n  - name: rollback\n", at: Self.start)
        for hour in 0..<6 {
            _ = try store.append(DecisionRecord(
                at: Self.start.addingTimeInterval(Double(hour) * 3600), kind: hour.isMultiple(of: 2) ? .actionExecuted : .actionHeld,
                policy: hour.isMultiple(of: 2) ? "rollback" : "capacity", policyHash: hour.isMultiple(of: 2) ? hash : nil,
                target: "ecs:ecommerce/cart-service", reason: hour.isMultiple(of: 2) ? "breached" : "cooldown",
                detail: "decision, with a comma", evidence: #"{"observed":0.05}"#, mode: "enforce"))
        }
        return path
    }

    @Test func anAuditorWhoCannotWriteBesideTheLogCanStillReadIt() async throws {
        let path = try makeLog()
        // What an administrator grants an auditor: read access to the file, nothing more. The
        // log was closed cleanly (no -wal or -shm file), and SQLite may not create them here.
        chmod(path, 0o644)
        chmod((path as NSString).deletingLastPathComponent, 0o755)
        let asNobody = ["--reuid=65534", "--regid=65534", "--clear-groups", ReflexBinary.path]
        for arguments in [["audit", "list", "--db", path], ["audit", "verify", "--db", path]] {
            let outcome = try await ReflexBinary.run(asNobody + arguments, executable: "/usr/bin/setpriv")
            #expect(outcome.status == 0, "\(arguments): \(outcome.stderr)")
            let expected = arguments[1] == "list" ? outcome.stdout.split(separator: "\n").filter { $0.contains("ecs:ecommerce/cart-service") }.count == 6
                : outcome.stdout.hasPrefix("OK: 6 decisions")
            #expect(expected, "\(arguments): \(outcome.stdout)")
        }
        #expect(!FileManager.default.fileExists(atPath: path + "-shm"))
    }

    @Test func verifyReportsTheRowCountThenTheFirstAlteredRow() async throws {
        let path = try makeLog()
        let intact = try await ReflexBinary.run(["audit", "verify", "--db", path])
        #expect(intact.status == 0)
        #expect(intact.stdout == "OK: 6 decisions (ids 1-6), hash chain intact\n")
        let queue = try DatabaseQueue(path: path)
        try await queue.write { db in
            try db.execute(sql: "DROP TRIGGER decisions_are_append_only; UPDATE decisions SET outcome = 'fine' WHERE id = 4")
        }
        let broken = try await ReflexBinary.run(["audit", "verify", "--db", path])
        #expect(broken.status == 1)
        #expect(broken.stdout == "BROKEN at decision 4: row 4 does not match its hash (altered or inserted)\n")
    }

    @Test func aDatabaseThatIsNotADecisionLogIsAUsageErrorSaidPlainly() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("reflex-audit-cli-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let path = directory + "/other.db"
        let queue = try DatabaseQueue(path: path)
        try await queue.write { try $0.execute(sql: "CREATE TABLE unrelated (a)") }
        try queue.close()
        let outcome = try await ReflexBinary.run(["audit", "list", "--db", path])
        #expect(outcome.status == 2)
        #expect(outcome.stderr == "reflex: the decision log cannot be read: no such table: decisions\n", "\(outcome.stderr)")
    }

    @Test func listFiltersFleetInstancesByTargetGlob() async throws {
        let path = try makeLog()
        let store = try DecisionStore(path: path)
        for table in ["cart-a", "cart-b", "orders", "cart[x]"] {
            _ = try store.append(DecisionRecord(at: Self.start, kind: .stateChange, policy: "throttling", target: "dynamodb:\(table)",
                                                stateFrom: "ok", stateTo: "firing"))
        }
        func targets(_ glob: String) async throws -> [String] {
            let listed = try await ReflexBinary.run(["audit", "list", "--db", path, "--target", glob, "--format", "json"])
            let rows = try JSONSerialization.jsonObject(with: Data(listed.stdout.utf8)) as? [[String: Any]] ?? []
            return rows.compactMap { $0["target"] as? String }.sorted()
        }
        #expect(try await targets("dynamodb:cart-*") == ["dynamodb:cart-a", "dynamodb:cart-b"])
        #expect(try await targets("dynamodb:cart-?") == ["dynamodb:cart-a", "dynamodb:cart-b"])
        #expect(try await targets("dynamodb:orders") == ["dynamodb:orders"])
        // A bracket in a target id is a character, not a class.
        #expect(try await targets("dynamodb:cart[x]") == ["dynamodb:cart[x]"])
        #expect(try await targets("ecs:*").count == 6)
    }

    @Test func listFiltersByPolicyAndTimeInEveryFormat() async throws {
        let path = try makeLog()
        let since = "2026-01-01T02:00:00Z"
        let table = try await ReflexBinary.run(["audit", "list", "--db", path, "--policy", "rollback", "--since", since])
        #expect(table.status == 0)
        let rows = table.stdout.split(separator: "\n")
        #expect(rows.count == 3)
        #expect(rows[0].hasPrefix("ID  TIME"))
        #expect(rows[1].hasPrefix("5   2026-01-01T04:00:00.000Z  action-executed  rollback"))
        let json = try await ReflexBinary.run(["audit", "list", "--db", path, "--reason", "cooldown", "--format", "json"])
        let decoded = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [[String: Any]]
        #expect(decoded?.map { $0["id"] as? Int } == [6, 4, 2])
        #expect((decoded?.first?["evidence"] as? [String: Any])?["observed"] as? Double == 0.05)
        let csv = try await ReflexBinary.run(["audit", "list", "--db", path, "--limit", "1", "--format", "csv"])
        #expect(csv.stdout.split(separator: "\n").count == 2)
        #expect(csv.stdout.contains(#","decision, with a comma","#))
    }

    @Test func showPrintsTheDecisionWithThePolicyText() async throws {
        let path = try makeLog()
        let shown = try await ReflexBinary.run(["audit", "show", "3", "--db", path])
        #expect(shown.status == 0)
        #expect(shown.stdout.contains("kind            action-executed"))
        #expect(shown.stdout.contains("policy_text:\npolicies:\n  - name: rollback"))
        let missing = try await ReflexBinary.run(["audit", "show", "99", "--db", path])
        #expect(missing.status == 2)
        #expect(missing.stderr.contains("no decision with id 99"))
    }

    @Test func exportStreamsJsonLinesOldestFirst() async throws {
        let path = try makeLog()
        let exported = try await ReflexBinary.run(["audit", "export", "--db", path, "--until", "2026-01-01T03:00:00Z"])
        let ids = exported.stdout.split(separator: "\n").compactMap {
            (try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])?["id"] as? Int
        }
        // --until is inclusive: decision 4, recorded at exactly 03:00:00.000, is in.
        #expect(ids == [1, 2, 3, 4])
    }

    @Test func pruneKeepsTheChainVerifiableAndIsRecorded() async throws {
        let path = try makeLog()
        let pruned = try await ReflexBinary.run(["audit", "prune", "--db", path, "--before", "2026-01-01T02:30:00Z"])
        #expect(pruned.status == 0, "\(pruned.stderr)")
        #expect(pruned.stdout.hasPrefix("removed 3 decisions"))
        let verified = try await ReflexBinary.run(["audit", "verify", "--db", path])
        #expect(verified.stdout == "OK: 4 decisions (ids 4-7), hash chain intact\n")
        let record = try await ReflexBinary.run(["audit", "list", "--db", path, "--kind", "pruned", "--format", "json"])
        #expect(record.stdout.contains("removed 3 decisions"))
    }

    @Test func theDatabaseComesFromTheConfigUnlessGiven() async throws {
        let path = try makeLog()
        let config = (path as NSString).deletingLastPathComponent + "/reflex.yaml"
        try "database: reflex.db\n".write(toFile: config, atomically: true, encoding: .utf8)
        let viaConfig = try await ReflexBinary.run(["audit", "verify", "--config", config])
        #expect(viaConfig.stdout.hasPrefix("OK: 6 decisions"), "\(viaConfig.stderr)")
        let badConfig = (path as NSString).deletingLastPathComponent + "/bad.yaml"
        try "databse: x.db\n".write(toFile: badConfig, atomically: true, encoding: .utf8)
        let rejected = try await ReflexBinary.run(["audit", "verify", "--config", badConfig])
        #expect(rejected.status == 2)
        #expect(rejected.stderr.contains("bad.yaml:1:1: unknown key 'databse' in the config; did you mean 'database'?"))
    }

    @Test func badTimesAreUsageErrors() async throws {
        let outcome = try await ReflexBinary.run(["audit", "list", "--db", try makeLog(), "--since", "yesterday"])
        #expect(outcome.status == 2)
        #expect(outcome.stderr.contains("--since must be an RFC 3339 time or an age"))
    }
}
