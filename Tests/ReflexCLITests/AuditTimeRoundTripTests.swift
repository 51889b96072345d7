import Foundation
import GRDB
import ReflexAudit
import ReflexCore
import Testing

/// Every time `reflex audit` prints is the stored one, and selects its own row again through
/// `--since` and `--until`: an auditor copies a time from one command into the next.
struct AuditTimeRoundTripTests {
    /// A log of decisions at every 37th millisecond of a second, and their stored times by id.
    func makeLog() throws -> (path: String, stored: [Int64: String]) {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("reflex-times-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let path = directory + "/reflex.db"
        let store = try DecisionStore(path: path)
        for (index, millisecond) in stride(from: 1, to: 1000, by: 37).enumerated() {
            _ = try store.append(DecisionRecord(
                at: Date(timeIntervalSince1970: 1_767_225_600 + Double(index) + Double(millisecond) / 1000), kind: .stateChange,
                policy: "p", target: "ecs:c/s", stateFrom: "ok", stateTo: "firing", reason: "breached"))
        }
        let stored = try DatabaseQueue(path: path).read { db in
            try Row.fetchAll(db, sql: "SELECT id, recorded_at FROM decisions").reduce(into: [Int64: String]()) { $0[$1["id"]] = $1["recorded_at"] }
        }
        return (path, stored)
    }

    private func objects(_ text: String) -> [[String: Any]] {
        text.split(separator: "\n").compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
    }

    @Test func everyPrintedTimeIsTheStoredOneAndSelectsItsRow() async throws {
        let (path, stored) = try makeLog()
        #expect(stored.count == 27)
        let listed = try await ReflexBinary.run(["audit", "list", "--format", "json", "--limit", "100", "--db", path])
        let listedTimes = try #require(try JSONSerialization.jsonObject(with: Data(listed.stdout.utf8)) as? [[String: Any]])
            .map { ($0["id"] as? Int64 ?? -1, $0["recorded_at"] as? String ?? "") }
        // Newest first, by id.
        #expect(listedTimes.map(\.0) == stored.keys.sorted().reversed())
        #expect(listedTimes.allSatisfy { stored[$0.0] == $0.1 }, "\(listedTimes.filter { stored[$0.0] != $0.1 })")
        let exported = objects(try await ReflexBinary.run(["audit", "export", "--db", path]).stdout)
        #expect(exported.map { $0["recorded_at"] as? String } == stored.keys.sorted().map { stored[$0] })
        let csv = try await ReflexBinary.run(["audit", "export", "--format", "csv", "--db", path]).stdout.split(separator: "\n").dropFirst()
        #expect(csv.map { String($0.split(separator: ",")[1]) } == stored.keys.sorted().map { stored[$0] ?? "" })
        let table = try await ReflexBinary.run(["audit", "list", "--limit", "100", "--db", path]).stdout.split(separator: "\n").dropFirst()
        #expect(table.map { String($0.split(separator: " ", omittingEmptySubsequences: true)[1]) } == stored.keys.sorted().reversed().map { stored[$0] ?? "" })
        for (id, time) in stored.sorted(by: { $0.key < $1.key }) {
            let shown = try await ReflexBinary.run(["audit", "show", String(id), "--format", "json", "--db", path])
            let fields = try #require(try JSONSerialization.jsonObject(with: Data(shown.stdout.utf8)) as? [String: Any])
            #expect(fields["recorded_at"] as? String == time)
            // Inclusive at both ends: the printed time alone selects its row.
            let selected = try await ReflexBinary.run(["audit", "list", "--since", time, "--until", time, "--format", "json", "--db", path])
            let ids = (try JSONSerialization.jsonObject(with: Data(selected.stdout.utf8)) as? [[String: Any]])?.map { $0["id"] as? Int64 }
            #expect(ids == [id], "\(time)")
        }
    }
}
