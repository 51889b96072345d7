import ArgumentParser
import Foundation
import ReflexCore

/// The `reflex` command tree.
public struct ReflexCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "reflex",
        abstract: "Remediation daemon for services on AWS: watches CloudWatch, applies policies, records every decision.",
        version: "reflex \(ReflexVersion.current)",
        subcommands: [RunCommand.self, StatusCommand.self, CheckCommand.self, TestCommand.self, PlanCommand.self, CostCommand.self, BacktestCommand.self, AuditCommand.self, ReceiversCommand.self, SafeModeCommand.self, CircuitCommand.self, ApprovalsCommand.self, ApproveCommand.self, DenyCommand.self]
    )

    public init() {}

    /// Parses the command line and runs the command, exiting with Reflex's codes: 0 success,
    /// 1 the thing checked is bad, 2 usage or environment error (ArgumentParser's own usage
    /// code, 64, is mapped to 2). Bare `reflex` is a usage error too: the help goes to stderr.
    public static func runMain() async -> Never {
        let arguments = Array(CommandLine.arguments.dropFirst())
        if arguments.isEmpty {
            printError(helpMessage())
            exit(withError: ExitCode.usageError)
        }
        if let problem = UnknownCommand.problem(in: arguments, root: self) {
            printError("\(problem)\nSee 'reflex --help'.")
            exit(withError: ExitCode.usageError)
        }
        do {
            var command = try parseAsRoot()
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
            Foundation.exit(0)
        } catch {
            let code = exitCode(for: error)
            guard code == .validationFailure else { exit(withError: error) }
            printError(fullMessage(for: error))
            exit(withError: ExitCode.usageError)
        }
    }
}
