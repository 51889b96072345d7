import ArgumentParser
import Foundation
import ReflexAudit

/// `reflex audit redeliver ID|--failed [--receiver NAME]`: queues webhook deliveries again,
/// for a receiver that lost them or was down past the retries.
struct AuditRedeliverCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "redeliver",
        abstract: "Queue a decision's webhook deliveries, or every failed one, again: a new attempt with the same webhook-id.")

    @OptionGroup var database: DatabaseOptions
    @Argument(help: "The decision whose deliveries to send again.") var id: Int64?
    @Flag(help: "Every delivery that failed for good.") var failed = false
    @Option(help: "Only the deliveries to this receiver.") var receiver: String?

    func validate() throws {
        guard (id != nil) != failed else { throw ValidationError("give a decision id or --failed, not both") }
    }

    func run() throws {
        let which: Redelivery = id.map { .decision($0) } ?? .failed
        let store = try withDecisionLog { try DecisionStore(existingAt: try database.path()) }
        let queued = try withDecisionLog { try store.redeliver(which, receiver: receiver, at: Date()) }
        let scope = receiver.map { " to \($0)" } ?? ""
        guard !queued.isEmpty else {
            guard let id else { print("no failed deliveries\(scope)"); return }
            printError("reflex: decision \(id) has no deliveries\(scope)")
            throw ExitCode.usageError
        }
        for row in queued { print("\(row.webhookID) to \(row.receiver): queued again") }
        let disabled = try withDecisionLog { try AuditReader(store: store).receiverStates(Array(Set(queued.map(\.receiver))).sorted()) }
            .filter { $0.disabledAt != nil }.map(\.name)
        if !disabled.isEmpty {
            print("disabled, so held until `reflex receivers enable`: \(disabled.joined(separator: ", "))")
        }
    }
}
