/// Why a policy's metrics could not be used: the query failed or came back incomplete.
/// A policy with a failure is put in `error` and never acts (fail closed).
public struct MetricsFailure: Error, Hashable, Sendable, CustomStringConvertible {
    /// What went wrong, safe to log and record (never holds credentials).
    public let message: String

    /// A failure with a message.
    public init(_ message: String) { self.message = message }

    public var description: String { message }
}
