import Foundation
import ReflexAudit
import ReflexCore
import Testing

/// `reflex safe-mode` and `reflex circuit` as the real binary, against a real decision log.
struct SwitchCommandTests {
    func config() throws -> (config: String, database: String) {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("reflex-switch-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        try "database: reflex.db\nsafe_mode: false\n".write(toFile: directory + "/reflex.yaml", atomically: true, encoding: .utf8)
        return (directory + "/reflex.yaml", directory + "/reflex.db")
    }

    @Test func safeModeIsStoredRecordedAndReadBack() async throws {
        let (config, database) = try config()
        #expect(try await ReflexBinary.run(["safe-mode", "status", "--config", config]).stdout == "safe mode is off\n")
        let on = try await ReflexBinary.run(["safe-mode", "on", "--config", config])
        #expect(on.status == 0 && on.stdout.hasPrefix("safe mode is on"))
        #expect(try await ReflexBinary.run(["safe-mode", "status", "--config", config]).stdout == "safe mode is on\n")
        #expect(try DecisionStore(path: database).safeMode(fallback: false))
        let recorded = try AuditReader(path: database).list(DecisionFilter(kind: "safe-mode-changed"), limit: 5)
        #expect(recorded.map(\.record.outcome) == ["on"])
        _ = try await ReflexBinary.run(["safe-mode", "off", "--config", config])
        #expect(try !DecisionStore(path: database).safeMode(fallback: true))
    }

    @Test func anOpenCircuitIsListedAndReset() async throws {
        let (config, database) = try config()
        let store = try DecisionStore(path: database)
        for table in ["cart", "orders"] {
            try store.openCircuit(CircuitKey(policy: "flapping", target: "dynamodb:\(table)"), at: Date(), reason: "the last 3 actions did not resolve the condition")
        }
        let listed = try await ReflexBinary.run(["circuit", "list", "--config", config])
        #expect(listed.stdout.hasPrefix("flapping  dynamodb:cart  opened "))
        #expect(listed.stdout.contains("\nflapping  dynamodb:orders  opened "))
        // One target of a fleet policy, then the rest.
        #expect(try await ReflexBinary.run(["circuit", "reset", "flapping", "--target", "dynamodb:orders", "--config", config]).stdout
            == "flapping on dynamodb:orders: circuit reset\n")
        #expect(try await ReflexBinary.run(["circuit", "reset", "flapping", "--config", config]).stdout == "flapping on dynamodb:cart: circuit reset\n")
        let again = try await ReflexBinary.run(["circuit", "reset", "flapping", "--config", config])
        #expect(again.status == 1)
        #expect(try await ReflexBinary.run(["circuit", "list", "--config", config]).stdout == "no open circuits\n")
    }
}
