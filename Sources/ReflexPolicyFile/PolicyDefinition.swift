import ReflexCore

/// A validated policy with where it was written and its exact text, so that the audit log can
/// keep the words that made a decision.
public struct PolicyDefinition: Hashable, Sendable {
    /// The policy.
    public let policy: Policy
    /// The file it came from.
    public let file: String
    /// The line its entry starts on.
    public let line: Int
    /// The YAML text of its entry, as written.
    public let text: String
}
