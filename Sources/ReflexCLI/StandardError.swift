import Foundation

/// Writes a line to standard error, where diagnostics belong so that stdout stays parseable.
func printError(_ line: String) {
    FileHandle.standardError.write(Data((line + "\n").utf8))
}
