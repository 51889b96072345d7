import ArgumentParser
import Foundation
import ReflexPolicyFile

/// Writes a line to standard error, where diagnostics belong so that stdout stays parseable.
func printError(_ line: String) {
    FileHandle.standardError.write(Data((line + "\n").utf8))
}

/// Runs `body`, turning a bad path into a usage error (exit 2) that names the command.
func usingPaths<T>(_ command: String, _ body: () throws(PolicyLoader.PathError) -> T) throws -> T {
    do {
        return try body()
    } catch {
        printError("reflex \(command): \(error)")
        throw ExitCode.usageError
    }
}
