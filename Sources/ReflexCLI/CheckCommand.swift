import ArgumentParser
import ReflexPolicyFile

/// `reflex check`: validates policy files and prints every error as `file:line:col: message`.
struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Validate policy files.",
        discussion: "Exits 0 when every policy is valid, 1 when any is not, 2 on a usage error."
    )

    @Argument(help: "Policy files or directories (searched for *.yaml, leaving out *.test.yaml).")
    var paths: [String] = ["policies"]

    func run() throws {
        let result = try usingPaths("check") { () throws(PolicyLoader.PathError) in try PolicyLoader.load(paths: paths) }
        for error in result.errors { print(error) }
        guard result.errors.isEmpty else {
            printError("\(result.errors.count) error(s) in \(result.files.count) file(s)")
            throw ExitCode.checkFailed
        }
        print("\(result.policies.count) policies in \(result.files.count) file(s): OK")
    }
}
