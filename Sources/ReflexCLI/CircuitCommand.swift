import ArgumentParser
import Foundation
import ReflexAudit

/// `reflex circuit list|reset POLICY`: policies stopped by their circuit breaker, and the
/// operator's reset that lets one act again.
struct CircuitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "circuit",
        abstract: "List policies stopped by their circuit breaker, or reset one.")

    enum Verb: String, ExpressibleByArgument, CaseIterable { case list, reset }

    @Argument(help: "list or reset.") var verb: Verb
    @Argument(help: "The policy to reset.") var policy: String?
    @OptionGroup var config: ConfigOptions

    func validate() throws {
        if verb == .reset && policy == nil { throw ValidationError("reset needs the policy's name") }
    }

    func run() throws {
        let loaded = try config.load()
        try withDecisionLog {
            let store = try DecisionStore(path: loaded.database)
            switch verb {
            case .list:
                let open = try store.openCircuits()
                if open.isEmpty { print("no open circuits") }
                for circuit in open { print("\(circuit.policy)  opened \(AuditTime.format(circuit.openedAt))  \(circuit.reason)") }
            case .reset:
                guard let policy, try store.resetCircuit(policy: policy, at: Date(), by: ProcessInfo.processInfo.environment["USER"] ?? "reflex circuit") else {
                    print("\(policy ?? ""): circuit is not open")
                    throw ExitCode.checkFailed
                }
                print("\(policy): circuit reset")
            }
        }
    }
}
