import GRDB

/// A decision-log problem that a user can act on, with a stable code.
public struct AuditError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What kind of problem.
    public enum Code: String, Sendable {
        /// The database was written by a newer Reflex with migrations this one does not know.
        case newerSchema = "newer-schema"
        /// The database file cannot be opened or created.
        case cannotOpen = "cannot-open"
        /// A decision with that id does not exist.
        case notFound = "not-found"
        /// Another daemon already writes this decision log.
        case inUse = "in-use"
        /// A signing or public key file is missing, malformed or not private enough.
        case badKey = "bad-key"
        /// An exported checkpoint cannot be read.
        case badCheckpoint = "bad-checkpoint"
    }

    /// The kind of problem.
    public let code: Code
    /// What happened, for humans.
    public let message: String

    /// An error of `code`.
    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { message }
}

extension AuditError {
    /// `error` worded for the user when it is a decision-log problem (an `AuditError`, or the
    /// database refusing: unreadable, locked, corrupt); nil for any other error. Lets commands
    /// report database problems without knowing the database library.
    public static func userMessage(for error: any Error) -> String? {
        if let audit = error as? AuditError { return audit.message }
        if let database = error as? DatabaseError { return "the decision log cannot be read: \(database.message ?? "\(database)")" }
        return nil
    }
}
