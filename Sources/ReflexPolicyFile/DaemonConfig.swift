import ReflexCore

/// The daemon's configuration file (`/etc/reflex/reflex.yaml`), validated.
public struct DaemonConfig: Hashable, Sendable {
    /// A webhook receiver that policies and daemon events notify.
    public struct Receiver: Hashable, Sendable {
        /// How deliveries are formatted.
        public enum Format: String, Hashable, Sendable, CaseIterable {
            case standard, slack, pagerduty
        }

        /// Where a `pagerduty` receiver delivers when its `url` is not set: PagerDuty's Events
        /// API v2.
        public static let pagerDutyEventsURL = "https://events.pagerduty.com/v2/enqueue"

        /// The receiver's name, as policies' `notify:` lists it.
        public let name: String
        /// Where deliveries are POSTed.
        public let url: String
        /// A file holding the signing secret, if any.
        public let secretFile: String?
        /// An environment variable holding the signing secret, if any.
        public let secretEnvironment: String?
        /// The payload format.
        public let format: Format
        /// Extra headers sent with every delivery.
        public let headers: [String: String]
        /// How long one delivery attempt may take.
        public let timeout: TimeSpan
        /// The file holding a `pagerduty` receiver's routing key (integration key).
        public let routingKeyFile: String?

        /// A receiver.
        public init(name: String, url: String, secretFile: String?, secretEnvironment: String?, format: Format,
                    headers: [String: String], timeout: TimeSpan, routingKeyFile: String? = nil) {
            self.name = name
            self.url = url
            self.secretFile = secretFile
            self.secretEnvironment = secretEnvironment
            self.format = format
            self.headers = headers
            self.timeout = timeout
            self.routingKeyFile = routingKeyFile
        }
    }

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
    public let receivers: [Receiver]
    /// The Ed25519 key file the daemon signs audit checkpoints with; nil: no checkpoints.
    public let auditSigningKey: String?
    /// How often a checkpoint is made besides at start, on reload and at stop.
    public let checkpointEvery: TimeSpan
    /// The AWS accounts policies may name besides the daemon's own.
    public let accounts: [Account]
}
