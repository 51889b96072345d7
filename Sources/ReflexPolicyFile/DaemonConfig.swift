import ReflexCore

/// The daemon's configuration file (`/etc/reflex/reflex.yaml`), validated.
public struct DaemonConfig: Hashable, Sendable {
    /// The default path of the config file.
    public static let defaultPath = "/etc/reflex/reflex.yaml"

    /// The AWS region; nil means from the environment.
    public let region: String?
    /// Where policy files are read from.
    public let policies: String
    /// Whether the daemon may run with no policy at all; otherwise an empty set is refused, so
    /// that a wrong or unreadable `policies` path cannot leave it watching nothing.
    public let allowNoPolicies: Bool
    /// The decision log's path.
    public let database: String
    /// How often the daemon evaluates.
    public let pollInterval: TimeSpan
    /// How often fleet policies' selectors are discovered again (also at start and on reload).
    public let discoveryInterval: TimeSpan
    /// Safe mode at start-up (the database's setting wins once one was made).
    public let safeMode: Bool
    /// The daemon-wide action budget.
    public let globalBudget: Budget?
    /// Webhook receivers by name.
    public let receivers: [ReceiverSettings]
    /// The Ed25519 key file the daemon signs audit checkpoints with; nil: no checkpoints.
    public let auditSigningKey: String?
    /// How often a checkpoint is made besides at start, on reload and at stop.
    public let checkpointEvery: TimeSpan
    /// The AWS accounts policies may name besides the daemon's own.
    public let accounts: [Account]
    /// Coordination with other daemons through a DynamoDB table (`ha:`); nil: this daemon runs
    /// alone.
    public let highAvailability: HighAvailability?
}
