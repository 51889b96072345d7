import ArgumentParser
import Foundation
import ReflexAudit

/// `reflex circuit list|reset POLICY [--target ID]`: policies stopped on a target by their
/// circuit breaker, and the operator's reset that lets them act again.
struct CircuitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "circuit",
        abstract: "List policies stopped by their circuit breaker, or reset one.")

    enum Verb: String, ExpressibleByArgument, CaseIterable { case list, reset }

    @Argument(help: "list or reset.") var verb: Verb
    @Argument(help: "The policy to reset.") var policy: String?
    @Option(help: "Reset only the circuit on this target (e.g. dynamodb:cart); default: every target of the policy.") var target: String?
    @OptionGroup var config: ConfigOptions

    func validate() throws {
        if verb == .reset && policy == nil { throw ValidationError("reset needs the policy's name") }
    }

    func run() throws {
        let loaded = try config.load()
        try withDecisionLog {
            let store = try DecisionStore(existingAt: loaded.database)
            switch verb {
            case .list:
                let open = try store.openCircuits()
                if open.isEmpty { print("no open circuits") }
                for circuit in open {
                    print("\(circuit.key.policy)  \(circuit.key.target)  opened \(AuditTime.format(circuit.openedAt))  \(circuit.reason)")
                }
            case .reset:
                let who = OperatorName.current
                guard let policy, case let reset = try store.resetCircuits(policy: policy, target: target, at: Date(), by: who), !reset.isEmpty else {
                    print("\(policy ?? "")\(target.map { " on \($0)" } ?? ""): circuit is not open")
                    throw ExitCode.checkFailed
                }
                for target in reset { print("\(policy) on \(target): circuit reset") }
            }
        }
    }
}
