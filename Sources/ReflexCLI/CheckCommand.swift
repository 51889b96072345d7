import ArgumentParser
import ReflexAWS
import ReflexCore
import ReflexPolicyFile

/// `reflex check`: validates policy files and prints every error as `file:line:col: message`,
/// then a summary; with `--discover`, also what each fleet policy's selector matches on AWS now.
struct CheckCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Validate policy files.",
        discussion: "Exits 0 when every policy is valid, 1 when any is not, 2 on a usage error or a discovery that failed."
    )

    @Argument(help: "Policy files or directories (searched for *.yaml, leaving out *.test.yaml).")
    var paths: [String] = ["policies"]
    @Flag(help: "Also list what every fleet policy's selector matches (needs AWS credentials).") var discover = false
    @Option(help: "The AWS region for --discover; default: from the environment or profile.") var region: String?
    @OptionGroup var config: ConfigOptions

    func run() async throws {
        let context = try config.scopeContext()
        let result = try usingPaths("check") { () throws(PolicyLoader.PathError) in try PolicyLoader.load(paths: paths, context: context) }
        for error in result.errors { print(error) }
        guard result.errors.isEmpty else {
            // On stdout with the errors, so that it comes after them even when both are piped.
            let failing = Set(result.errors.map(\.file)).count
            print("\(result.errors.count == 1 ? "1 error" : "\(result.errors.count) errors") in \(failing) of \(result.files.count) file(s); "
                  + "\(result.policies.count) \(result.policies.count == 1 ? "policy" : "policies") ok")
            throw ExitCode.checkFailed
        }
        print("\(result.policies.count) policies in \(result.files.count) file(s): OK")
        guard discover else { return }
        let policies = result.policies.map(\.policy)
        let fleets = await FleetInstances.discover(policies, using: try AWSReach(region: region ?? context.homeRegion, accounts: context.accounts ?? []).discovery)
        var failed = false
        for policy in policies {
            guard let selector = policy.selector else { continue }
            if let failure = fleets.failure(of: policy) {
                printError("\(policy.name): discovery of \(selector) failed: \(failure)")
                failed = true
                continue
            }
            let instances = fleets.instances.filter { $0.name == policy.name }
            print("\(policy.name): \(selector) matches \(instances.count)")
            for instance in instances { print("  \(instance.target.id)") }
            for skipped in fleets.skipped where skipped.policy == policy.name {
                print("  \(skipped.member.target.id) (matched, not judged: lacks a variable of \(policy.templateVariables.sorted().map { "${\($0)}" }.joined(separator: ", ")))")
            }
        }
        if failed { throw ExitCode.usageError }
    }
}
