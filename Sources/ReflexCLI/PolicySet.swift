import ArgumentParser
import ReflexCore
import ReflexPolicyFile

/// The config and the valid policies it names, or the exit that explains why not: invalid
/// policies exit 1 with their `file:line:col` errors, an unusable config exits 2.
struct PolicySet {
    let config: DaemonConfig
    let definitions: [PolicyDefinition]

    var policies: [Policy] { definitions.map(\.policy) }

    static func load(_ options: ConfigOptions) throws -> PolicySet {
        let config = try options.load()
        let loaded = try usingPaths("policies") { () throws(PolicyLoader.PathError) in try PolicyLoader.load(paths: [config.policies]) }
        guard loaded.errors.isEmpty else {
            loaded.errors.forEach { printError("\($0)") }
            throw ExitCode.checkFailed
        }
        return PolicySet(config: config, definitions: loaded.policies)
    }
}
