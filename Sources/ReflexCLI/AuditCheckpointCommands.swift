import ArgumentParser
import Foundation
import ReflexAudit

/// `reflex audit checkpoints`: the signed checkpoints the log holds.
struct AuditCheckpointsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "checkpoints", abstract: "List the signed checkpoints, oldest first.")

    @OptionGroup var database: DatabaseOptions
    @Option(help: "table or json.") var format = AuditFormat.table

    func validate() throws {
        guard format != .csv else { throw ValidationError("checkpoints are listed as a table or json") }
    }

    func run() throws {
        let checkpoints = try withDecisionLog { try AuditReader(path: try database.path()).checkpoints() }
        if format == .json {
            print("[" + checkpoints.map(\.json).joined(separator: ",\n ") + "]")
            return
        }
        print(TextTable.render(
            header: ["ID", "TIME", "TRIGGER", "LAST-DECISION", "HEAD", "DECISIONS", "KEY"],
            rows: checkpoints.map { checkpoint in
                [String(checkpoint.id), checkpoint.time, checkpoint.trigger, String(checkpoint.lastDecisionID), String(checkpoint.headHash.prefix(16)),
                 String(checkpoint.decisionCount), checkpoint.keyID]
            }))
    }
}

/// `reflex audit checkpoint export [ID]`: one checkpoint as JSON, to keep off the host.
struct AuditCheckpointCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "checkpoint", abstract: "Export a signed checkpoint.", subcommands: [AuditCheckpointExportCommand.self])
}

struct AuditCheckpointExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export", abstract: "Print a checkpoint (the newest by default) as JSON, for reflex audit verify --checkpoint.")

    @OptionGroup var database: DatabaseOptions
    @Argument(help: "The checkpoint's decision id.") var id: Int64?

    func run() throws {
        print(try withDecisionLog { try AuditReader(path: try database.path()).checkpoint(id: id) }.json)
    }
}
