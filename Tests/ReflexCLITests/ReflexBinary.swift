import Foundation

/// Runs the real `reflex` executable that `swift build` put beside the test bundle.
enum ReflexBinary {
    /// The repository's root, for the shipped policies.
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static var path: String {
        if let explicit = ProcessInfo.processInfo.environment["REFLEX_BINARY"] { return explicit }
        let testBinary = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        // On Linux the test bundle is a file in the products directory, on macOS a bundle in it.
        var directory = testBinary.deletingLastPathComponent()
        while !FileManager.default.fileExists(atPath: directory.appendingPathComponent("reflex").path), directory.path != "/" {
            directory = directory.deletingLastPathComponent()
        }
        return directory.appendingPathComponent("reflex").path
    }

    /// The environment a reflex process under test gets: the test's own, without the switch
    /// scripts/test sets for the test process's scheduling, so that reflex runs as it does in
    /// production.
    static var environment: [String: String] {
        ProcessInfo.processInfo.environment.filter { $0.key != "SWIFT_DEBUG_CONCURRENCY_ENABLE_COOPERATIVE_QUEUES" }
    }

    struct Outcome {
        let status: Int32
        let stdout: String
        let stderr: String
    }

    /// Runs `reflex` (or `executable`, e.g. a wrapper that runs it as another user) with
    /// `arguments` in the repository root and waits for it; `environment` is added to the
    /// test's own. With `timeout`, a process still running then is killed (SIGKILL).
    ///
    /// The wait happens on a thread of its own, never on one of the few threads Swift's
    /// concurrency runs tasks on: tests run in parallel, and a few of them blocked waiting for a
    /// process would stall every other test's tasks (a daemon test's clock kept running while
    /// its polling could not).
    static func run(_ arguments: [String], environment: [String: String] = [:], executable: String? = nil,
                    timeout: TimeInterval? = nil) async throws -> Outcome {
        try await withCheckedThrowingContinuation { continuation in
            Thread.detachNewThread {
                continuation.resume(with: Result { try runBlocking(arguments, environment: environment, executable: executable, timeout: timeout) })
            }
        }
    }

    private static func runBlocking(_ arguments: [String], environment: [String: String], executable: String?,
                                    timeout: TimeInterval?) throws -> Outcome {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable ?? path)
        process.arguments = arguments
        process.environment = Self.environment.merging(environment) { $1 }
        process.currentDirectoryURL = repository
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let pid = process.processIdentifier
        let killer = DispatchWorkItem { kill(pid, SIGKILL) }
        // Cancelled once the process is reaped, so that a reused pid is never hit.
        defer { killer.cancel() }
        if let timeout { DispatchQueue.global().asyncAfter(deadline: .now() + timeout, execute: killer) }
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Outcome(status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self),
                       stderr: String(decoding: stderr, as: UTF8.self))
    }

    /// A scratch directory holding copies of the files in `directory` (by default the shipped
    /// policies), edited by `edit`.
    static func copyOfPolicies(in directory: String = "policies", edit: (inout [String: String]) -> Void) throws -> String {
        let source = repository.appendingPathComponent(directory).path
        var files: [String: String] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: source) {
            files[name] = try String(contentsOfFile: source + "/" + name, encoding: .utf8)
        }
        edit(&files)
        let target = FileManager.default.temporaryDirectory.appendingPathComponent("reflex-cli-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: target, withIntermediateDirectories: true)
        for (name, text) in files { try text.write(toFile: target + "/" + name, atomically: true, encoding: .utf8) }
        return target
    }
}
