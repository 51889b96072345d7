import ArgumentParser
import Foundation

/// The `reflex` command tree.
public struct ReflexCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "reflex",
        abstract: "Remediation daemon for services on AWS: watches CloudWatch, applies policies, records every decision.",
        subcommands: [RunCommand.self, StatusCommand.self, CheckCommand.self, TestCommand.self, PlanCommand.self, CostCommand.self, BacktestCommand.self, AuditCommand.self, SafeModeCommand.self, CircuitCommand.self]
    )

    public init() {}

    /// Parses the command line and runs the command, exiting with Reflex's codes: 0 success,
    /// 1 the thing checked is bad, 2 usage or environment error (ArgumentParser's own usage
    /// code, 64, is mapped to 2).
    public static func runMain() async -> Never {
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
