import ReflexCore

/// The policies the daemon runs, each with the hash of its text (its version in the log).
public struct PolicySetVersion: Sendable {
    /// The policies, in file order.
    public let policies: [Policy]
    /// The SHA-256 of each policy's text, by name.
    public let hashes: [String: String]
    /// The config's settings that a reload does not apply (only a restart does), each as text
    /// to compare, by its config key: a reload that changes one says so.
    public let restartSettings: [String: String]

    /// A set of policies with their hashes, loaded with `restartSettings`.
    public init(policies: [Policy], hashes: [String: String], restartSettings: [String: String] = [:]) {
        self.policies = policies
        self.hashes = hashes
        self.restartSettings = restartSettings
    }
}
