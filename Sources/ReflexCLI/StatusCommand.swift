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
            print(TextTable.render(header: ["POLICY", "STATE"], rows: status.states.sorted { $0.key < $1.key }.map { [$0.key, $0.value] }))
        }
    }
}
