import ArgumentParser
import ReflexCore
import ReflexPolicyFile

/// The config and the valid policies it names, or the exit that explains why not: invalid
/// policies exit 1 with their `file:line:col` errors, an unusable config exits 2.
struct PolicySet {
    let config: DaemonConfig
    let definitions: [PolicyDefinition]

    var policies: [Policy] { definitions.map(\.policy) }

    /// The reason a reload is rejected: every error, one per line.
    struct Invalid: Error, CustomStringConvertible {
        let description: String
    }

    /// Loads without exiting: for reloads, where a bad set must leave the old one running.
    static func loadOrThrow(_ options: ConfigOptions) throws -> PolicySet {
        let config: DaemonConfig
        do {
            config = try ConfigParser.load(path: options.path)
        } catch {
            throw Invalid(description: "\(error)")
        }
        let loaded: PolicyLoader.Result
        do {
            loaded = try PolicyLoader.load(paths: [config.policies], allowNoPolicies: config.allowNoPolicies, context: config.scopeContext)
        } catch {
            throw Invalid(description: "\(error)")
        }
        guard loaded.errors.isEmpty else { throw Invalid(description: loaded.errors.map(\.description).joined(separator: "\n")) }
        return PolicySet(config: config, definitions: loaded.policies)
    }

    static func load(_ options: ConfigOptions) throws -> PolicySet {
        let config = try options.load()
        let loaded = try usingPaths("policies") { () throws(PolicyLoader.PathError) in
            try PolicyLoader.load(paths: [config.policies], allowNoPolicies: config.allowNoPolicies, context: config.scopeContext)
        }
        guard loaded.errors.isEmpty else {
            loaded.errors.forEach { printError("\($0)") }
            throw ExitCode.checkFailed
        }
        return PolicySet(config: config, definitions: loaded.policies)
    }
}
