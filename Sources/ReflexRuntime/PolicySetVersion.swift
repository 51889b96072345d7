import ReflexCore

/// The policies the daemon runs, each with the hash of its text (its version in the log).
public struct PolicySetVersion: Sendable {
    /// The policies, in file order.
    public let policies: [Policy]
    /// The SHA-256 of each policy's text, by name.
    public let hashes: [String: String]

    /// A set of policies with their hashes.
    public init(policies: [Policy], hashes: [String: String]) {
        self.policies = policies
        self.hashes = hashes
    }
}
