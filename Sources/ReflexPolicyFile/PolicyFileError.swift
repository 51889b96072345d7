import ReflexCore

/// A problem in a policy or policy test file, at a line and column, naming the policy when
/// there is one. Printed as `file:line:col: message`, the form editors and CI annotate.
public struct PolicyFileError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The file's path as the user gave it.
    public let file: String
    /// One-based line.
    public let line: Int
    /// One-based column.
    public let column: Int
    /// The policy the error is in, if known.
    public let policy: String?
    /// What is wrong.
    public let message: String

    /// An error at `line:column` of `file`.
    public init(file: String, line: Int, column: Int, policy: String? = nil, message: String) {
        self.file = file
        self.line = line
        self.column = column
        self.policy = policy
        self.message = message
    }

    /// The error as one line; control characters in the path, the policy name or quoted input
    /// are escaped so that they cannot break the line.
    public var description: String {
        ("\(file):\(line):\(column): " + (policy.map { "policy '\($0)': " } ?? "") + message).escapingControlCharacters
    }
}
