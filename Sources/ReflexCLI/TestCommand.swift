import ArgumentParser
import ReflexCore
import ReflexPolicyFile

/// `reflex test`: runs policy unit tests (`*.test.yaml`) and prints expected versus got.
struct TestCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "test",
        abstract: "Run policy unit tests (*.test.yaml).",
        discussion: "Exits 0 when every test passes, 1 when any fails or a file is invalid, 2 on a usage error."
    )

    @Argument(help: "Test files or directories (searched for *.test.yaml).")
    var paths: [String] = ["policies"]
    @OptionGroup var config: ConfigOptions

    func run() throws {
        let context = try config.scopeContext()
        let files = try usingPaths("test") { () throws(PolicyLoader.PathError) in try PolicyLoader.files(at: paths, tests: true) }
        guard !files.isEmpty else {
            printError("reflex test: no *.test.yaml files found in \(paths.joined(separator: " "))")
            throw ExitCode.usageError
        }
        var passed = 0, failed = 0
        for file in files {
            let (filePassed, fileFailed) = runFile(file, context: context)
            passed += filePassed
            failed += fileFailed
        }
        print("policy tests: \(passed) of \(passed + failed) passed in \(files.count) file(s)")
        if failed > 0 { throw ExitCode.checkFailed }
    }

    /// Runs one test file; an invalid file counts as one failure.
    private func runFile(_ file: String, context: ScopeContext) -> (passed: Int, failed: Int) {
        print(file)
        let suite: PolicyTestFile
        let policies: [Policy]
        do {
            suite = try PolicyTestFile.parse(try PolicyLoader.readText(file), file: file)
            let loaded = try PolicyLoader.load(paths: suite.policyFiles, context: context)
            guard loaded.errors.isEmpty else {
                loaded.errors.forEach { print("  \($0)") }
                return (0, 1)
            }
            policies = loaded.policies.map(\.policy)
        } catch {
            print("  \(error)")
            return (0, 1)
        }
        // Whether a test needs `instances:` depends on the policies, known only now.
        let problems = suite.check(against: policies)
        guard problems.isEmpty else {
            problems.forEach { print("  \($0)") }
            return (0, 1)
        }
        var passed = 0, failed = 0
        for (_, test) in suite.tests {
            let failures = PolicyTestRunner.run(test, policies: policies)
            if failures.isEmpty {
                passed += 1
                print("  ok    \(test.name)")
            } else {
                failed += 1
                print("  FAIL  \(test.name)")
                failures.forEach { print("        \(file):\($0.line): \($0.message)") }
            }
        }
        return (passed, failed)
    }
}
