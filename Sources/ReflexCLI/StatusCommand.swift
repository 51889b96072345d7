import ArgumentParser
import Foundation
import ReflexAudit

/// `reflex status`: what the running daemon last reported, read from the decision log.
struct StatusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "status", abstract: "Show what the daemon last reported.")

    @OptionGroup var database: DatabaseOptions

    func run() throws {
        try withDecisionLog {
            let reader = try AuditReader(path: try database.path())
            guard let status = try reader.daemonStatus() else {
                print("the daemon has not reported yet")
                throw ExitCode.checkFailed
            }
            let age = Int(Date().timeIntervalSince(status.updatedAt))
            print("last cycle: \(AuditTime.format(status.updatedAt)) (\(age) s ago), pid \(status.pid)")
            print(status.summary)
            // A fleet instance is reported as "policy target"; a single-target policy by its name.
            let rows = status.states.sorted { $0.key < $1.key }.map { key, state in
                let parts = key.split(separator: " ", maxSplits: 1).map(String.init)
                return [parts[0], parts.count > 1 ? parts[1] : "-", state]
            }
            print(TextTable.render(header: ["POLICY", "INSTANCE", "STATE"], rows: rows))
        }
    }
}
