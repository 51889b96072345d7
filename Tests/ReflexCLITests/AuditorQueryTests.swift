import Foundation
import ReflexAudit
import ReflexTestSupport
import Testing

/// The auditor's question from docs/decision-log.md, "which actions in the last hour, by which
/// policy version, on what evidence, from what state", answered by `sqlite3` alone on the log
/// of a real daemon that rolled a service back and switched a table to on-demand.
@Suite(.serialized)
struct AuditorQueryTests {
    typealias Running = DaemonTests.Running

    /// The query exactly as the documentation prints it.
    static func documentedQuery() throws -> String {
        let doc = try String(contentsOf: ReflexBinary.repository.appendingPathComponent("docs/decision-log.md"), encoding: .utf8)
        let begin = try #require(doc.range(of: "-- auditor-query-begin\n"))
        let end = try #require(doc.range(of: "-- auditor-query-end", range: begin.upperBound..<doc.endIndex))
        return String(doc[begin.upperBound..<end.lowerBound])
    }

    static func json(_ text: Any?) -> [String: Any]? {
        (text as? String).flatMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
    }

    @Test func whichActionsByWhichPolicyVersionOnWhatEvidenceFromWhatState() async throws {
        let daemon = try await Running(watchdog: false, edit: { files in
            files["cart-dynamodb-throttling.yaml"] = files["cart-dynamodb-throttling.yaml"]!.replacingOccurrences(
                of: "      dynamodb_capacity:\n        read:  { factor: 2, max: 400 }\n        write: { factor: 2, max: 200 }\n",
                with: "      dynamodb_on_demand: {}\n")
        }, before: { emulator in
            try await ScenarioTests.spike(emulator, errors: 60)
            try await ScenarioTests.put(emulator, "AWS/DynamoDB", "ThrottledRequests", ScenarioTests.table, ScenarioTests.minutes(1...8), 40)
        })
        try await daemon.wait(for: "action-executed", policy: "cart-rollback-on-5xx-after-deploy")
        try await daemon.wait(for: "action-executed", policy: "cart-dynamodb-throttling")
        #expect(try await daemon.stop(within: 90) == 0)

        let answer = try await ReflexBinary.run(["-readonly", "-json", daemon.database, try Self.documentedQuery()], executable: "/usr/bin/sqlite3")
        #expect(answer.status == 0, "\(answer.stderr)")
        let rows = try #require(try JSONSerialization.jsonObject(with: Data(answer.stdout.utf8)) as? [[String: Any]])
        let executed = rows.filter { $0["kind"] as? String == "action-executed" }
        #expect(executed.map { $0["policy"] as? String } == ["cart-rollback-on-5xx-after-deploy", "cart-dynamodb-throttling"]
            || executed.map { $0["policy"] as? String } == ["cart-dynamodb-throttling", "cart-rollback-on-5xx-after-deploy"], "\(rows)")
        let versions = try await ReflexBinary.run(["-readonly", "-json", daemon.database, "SELECT hash, name FROM policy_versions_v"], executable: "/usr/bin/sqlite3")
        let hashes = try #require(try JSONSerialization.jsonObject(with: Data(versions.stdout.utf8)) as? [[String: Any]])
        for row in rows {
            // Every action row answers all four questions.
            let policy = row["policy"] as? String
            #expect(hashes.contains { $0["hash"] as? String == row["policy_hash"] as? String && $0["name"] as? String == policy }, "\(row)")
            #expect(row["policy_version_first_seen"] as? String != nil, "\(row)")
            #expect((Self.json(row["evidence"])?["periods"] as? [Any])?.isEmpty == false, "\(row)")
            #expect(Self.json(row["state_before"]) != nil, "\(row)")
        }

        let rollback = try #require(executed.first { $0["policy"] as? String == "cart-rollback-on-5xx-after-deploy" })
        #expect(rollback["detail"] as? String == "task definition revision 3 -> 2")
        let before = try #require(Self.json(rollback["state_before"]))
        #expect((before["taskDefinition"] as? String)?.hasSuffix("cart-service:3") == true, "\(before)")
        #expect(before["revision"] as? Int == 3)
        let change = try #require(Self.json(rollback["change"]))
        #expect(change["change"] as? [String: [String: Int]] == ["rollback": ["from": 3, "to": 2]], "\(change)")
        #expect((change["after"] as? [String: Any])?["revision"] as? Int == 2)

        let onDemand = try #require(executed.first { $0["policy"] as? String == "cart-dynamodb-throttling" })
        #expect(onDemand["detail"] as? String == "billing mode -> on-demand")
        let table = try #require(Self.json(onDemand["state_before"]))
        #expect(table["readCapacity"] as? Int == 100 && table["writeCapacity"] as? Int == 50, "\(table)")
        #expect(table["onDemand"] as? Bool != true, "\(table)")
        let switched = try #require(Self.json(onDemand["change"]))
        #expect(switched["change"] as? [String: [String: Int]] == ["onDemand": [:]], "\(switched)")
        #expect((switched["after"] as? [String: Any])?["onDemand"] as? Bool == true)
        #expect((switched["after"] as? [String: Any])?["readCapacity"] as? Int == 100)
    }
}
