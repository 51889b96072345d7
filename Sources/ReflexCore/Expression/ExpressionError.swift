/// A syntax, name or type error in an expression, at a character offset within its text.
public struct ExpressionError: Error, Hashable, Sendable {
    /// Zero-based character offset of the offending token in the expression text.
    public let offset: Int
    /// What is wrong, for a human.
    public let message: String

    /// An error at `offset`.
    public init(offset: Int, message: String) {
        self.offset = offset
        self.message = message
    }
}
