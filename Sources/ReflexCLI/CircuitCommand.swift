import ArgumentParser
import Foundation
import ReflexAudit
import ReflexAWS
import ReflexCore

/// `reflex circuit list|reset POLICY [--target ID]`: policies stopped on a target by their
/// circuit breaker, and the operator's reset that lets them act again. With `ha:`, the circuits
/// are those of the coordination table, which every node of the pair reads.
struct CircuitCommand: AsyncParsableCommand {
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

    func run() async throws {
        let loaded = try config.load()
        if let shared = try loaded.sharedSwitches() {
            try await runShared(shared, database: loaded.database)
            return
        }
        try withDecisionLog {
            let store = try DecisionStore(existingAt: loaded.database)
            switch verb {
            case .list:
                let open = try store.openCircuits()
                if open.isEmpty { print("no open circuits") }
                for circuit in open {
                    print("\(circuit.key.policy)  \(circuit.key.target)  opened \(StoredTime.format(circuit.openedAt))  \(circuit.reason)")
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

    /// The circuits of a highly available pair: listed from, and reset in, the coordination
    /// table; a reset is also recorded in this node's log.
    private func runShared(_ shared: DynamoDBCoordination, database: String) async throws {
        let open = try await changingSharedState(shared) { try await shared.switches().openCircuits }
            .sorted { ($0.policy, $0.target) < ($1.policy, $1.target) }
        switch verb {
        case .list:
            if open.isEmpty { print("no open circuits (shared through \(shared.table))") }
            for key in open { print("\(key.policy)  \(key.target)  open (shared through \(shared.table))") }
        case .reset:
            let reset = open.filter { $0.policy == policy && (target == nil || $0.target == target) }
            guard !reset.isEmpty else {
                print("\(policy ?? "")\(target.map { " on \($0)" } ?? ""): circuit is not open")
                throw ExitCode.checkFailed
            }
            let who = OperatorName.current
            for key in reset {
                try await changingSharedState(shared) { try await shared.setCircuit(key, open: false, reason: "reset by \(who)", at: Date()) }
                print("\(key.policy) on \(key.target): circuit reset for every node")
            }
            // This node's log records the reset where the circuit was open here.
            _ = try withDecisionLog { try DecisionStore(existingAt: database).resetCircuits(policy: policy ?? "", target: target, at: Date(), by: who) }
        }
    }
}
