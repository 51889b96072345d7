import ArgumentParser
import Foundation
import ReflexAWS
import ReflexPolicyFile

/// `--config FILE`, shared by every command that needs the daemon's config.
struct ConfigOptions: ParsableArguments {
    @Option(name: .long, help: "The daemon config (default: $REFLEX_CONFIG, else /etc/reflex/reflex.yaml).")
    var config: String?

    /// The config path in effect.
    var path: String { config ?? ProcessInfo.processInfo.environment["REFLEX_CONFIG"] ?? DaemonConfig.defaultPath }

    /// The loaded config, or a usage error (exit 2) that says what is wrong where.
    func load() throws -> DaemonConfig {
        do {
            return try ConfigParser.load(path: path)
        } catch {
            printError("reflex: \(error)")
            throw ExitCode.usageError
        }
    }

    /// What policies' accounts and regions are read against, for commands that read policies
    /// without running them (check, test): the config's when one is named or the default one
    /// exists; else no accounts (a policy naming one says the config is needed to check it)
    /// and the environment's region.
    func scopeContext() throws -> ScopeContext {
        guard config != nil || ProcessInfo.processInfo.environment["REFLEX_CONFIG"] != nil
            || FileManager.default.isReadableFile(atPath: DaemonConfig.defaultPath) else {
            return ScopeContext(accounts: nil, homeRegion: AWSEnvironment().region(configured: nil))
        }
        return try load().scopeContext
    }
}

/// `--db FILE` or the config's database, for the audit commands.
struct DatabaseOptions: ParsableArguments {
    @Option(name: .long, help: "The decision log (default: the config's database).")
    var db: String?

    @OptionGroup var config: ConfigOptions

    /// The database path in effect.
    func path() throws -> String {
        if let db { return db }
        return try config.load().database
    }
}

extension DaemonConfig {
    /// The config's accounts and the daemon's region (the config's, else the environment's).
    var scopeContext: ScopeContext {
        ScopeContext(accounts: accounts, homeRegion: AWSEnvironment().region(configured: region))
    }
}
