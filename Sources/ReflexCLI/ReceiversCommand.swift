import ArgumentParser
import Foundation
import ReflexAudit
import ReflexCore
import ReflexPolicyFile

/// `reflex receivers [--format table|json]` and `reflex receivers enable NAME`: the configured
/// webhook receivers with their delivery state, and the operator's way back after a 410.
struct ReceiversCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "receivers",
        abstract: "List the webhook receivers with their state, or enable one that an HTTP 410 disabled.",
        subcommands: [ReceiversListCommand.self, ReceiversEnableCommand.self],
        defaultSubcommand: ReceiversListCommand.self)
}

struct ReceiversListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list", abstract: "Each configured receiver: enabled, or disabled by an HTTP 410 and since when; pending and failed deliveries.")

    @OptionGroup var config: ConfigOptions
    @Option(help: "table or json.") var format = OutputFormat.table

    func run() throws {
        let loaded = try config.load()
        // Names only: a receiver's URL may hold a token (Slack's do), and secrets never show.
        let states = try withDecisionLog { try AuditReader(path: loaded.database).receiverStates(loaded.receivers.map(\.name).sorted()) }
        switch format {
        case .table:
            if states.isEmpty { print("no receivers configured"); return }
            print(TextTable.render(header: ["RECEIVER", "PENDING", "FAILED", "STATE"], rows: states.map { state in
                let disabled = state.disabledAt.map { "disabled since \(StoredTime.format($0)) (\(state.disabledReason ?? "HTTP 410 Gone"))" }
                return [state.name, String(state.pending), String(state.failed), disabled ?? "enabled"]
            }))
        case .json:
            let objects: [[String: Any]] = states.map { state in
                var object: [String: Any] = ["name": state.name, "state": state.disabledAt == nil ? "enabled" : "disabled",
                                             "pending": state.pending, "failed": state.failed]
                object["disabled_at"] = state.disabledAt.map(StoredTime.format)
                object["disabled_reason"] = state.disabledReason
                return object
            }
            let data = try JSONSerialization.data(withJSONObject: objects, options: [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes])
            print(String(decoding: data, as: UTF8.self))
        }
    }
}

struct ReceiversEnableCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "enable",
        abstract: "Enable a receiver that an HTTP 410 disabled: what the 410 held back is sent again (a running daemon sends it within a second).")

    @Argument(help: "The receiver's name, as in the config.") var name: String
    @OptionGroup var config: ConfigOptions

    func run() throws {
        let loaded = try config.load()
        let names = loaded.receivers.map(\.name)
        guard names.contains(name) else {
            let hint = NearestName.didYouMean(name, among: names)
            throw ValidationError("no receiver '\(name)' in \(config.path)\(hint)")
        }
        let waiting = try withDecisionLog { try DecisionStore(existingAt: loaded.database).enableReceiver(name, at: Date()) }
        guard let waiting else {
            print("receiver \(name) is not disabled")
            throw ExitCode.checkFailed
        }
        print("receiver \(name) enabled; \(waiting) delivery(ies) to send")
    }
}
