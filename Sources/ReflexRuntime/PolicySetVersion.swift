import ReflexCore

/// The policies the daemon runs, each with the hash of its text (its version in the log), and
/// the settings that came with them.
public struct PolicySetVersion: Sendable {
    /// The policies, in file order.
    public let policies: [Policy]
    /// The SHA-256 of each policy's text, by name.
    public let hashes: [String: String]
    /// The config's settings a reload applies; nil keeps those the daemon runs with.
    public let settings: DaemonSettings?

    /// A set of policies with their hashes, loaded with `settings`.
    public init(policies: [Policy], hashes: [String: String], settings: DaemonSettings? = nil) {
        self.policies = policies
        self.hashes = hashes
        self.settings = settings
    }
}
