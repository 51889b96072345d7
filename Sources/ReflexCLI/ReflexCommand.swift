import ArgumentParser

/// The `reflex` command tree.
public struct ReflexCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "reflex",
        abstract: "Remediation daemon for services on AWS: watches CloudWatch, applies policies, records every decision.",
        subcommands: [CheckCommand.self, TestCommand.self]
    )

    public init() {}
}
