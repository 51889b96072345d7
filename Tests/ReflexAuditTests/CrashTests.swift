import Foundation
import ReflexAudit
import ReflexCore
import Testing

/// Kills a writer process with SIGKILL at random moments, 50 times over one log, and checks
/// that every row it reported as committed is there, no intent is lost and the chain verifies.
struct CrashTests {
    static var writerPath: String {
        URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
            .appendingPathComponent("crash-child").path
    }

    @Test func killNineNeverLosesACommittedDecisionOrBreaksTheChain() throws {
        let path = AuditFixtures.temporaryPath()
        var generator = SystemRandomNumberGenerator()
        var committed: Set<Int64> = []
        var intents: Set<Int64> = []
        for _ in 0..<50 {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: Self.writerPath)
            process.arguments = ["decisions", path]
            let output = Pipe()
            process.standardOutput = output
            try process.run()
            // Kill at a random moment after the child has committed at least one row, so that
            // every round writes something however busy the machine is.
            var head = output.fileHandleForReading.availableData
            while !head.isEmpty && !head.contains(UInt8(ascii: "\n")) { head += output.fileHandleForReading.availableData }
            usleep(UInt32.random(in: 0...60_000, using: &generator))
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            #expect(process.terminationReason == .uncaughtSignal)
            let text = String(decoding: head + output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            for line in text.split(separator: "\n") {
                let parts = line.split(separator: " ")
                guard parts.count == 2, let id = Int64(parts[1]) else { continue }
                committed.insert(id)
                if parts[0] == "intent" { intents.insert(id) }
            }
        }
        #expect(committed.count >= 50, "every round must have committed at least one row")
        let reader = try AuditReader(path: path)
        guard case let .intact(rows, _, _) = try reader.verify() else { Issue.record("chain broken: \(try reader.verify())"); return }
        var present: Set<Int64> = []
        var storedIntents: Set<Int64> = []
        try reader.export(DecisionFilter()) { decision in
            present.insert(decision.id)
            if decision.record.kind == .actionIntent { storedIntents.insert(decision.id) }
        }
        #expect(committed.isSubset(of: present))
        #expect(intents.isSubset(of: storedIntents))
        #expect(rows == present.count)
    }
}
