import ReflexCore

extension DaemonConfig {
    /// The config's `ha:`: several daemons share one DynamoDB table and only the one holding its
    /// lease acts. Without `ha:` the daemon runs alone and needs no table.
    public struct HighAvailability: Hashable, Sendable {
        /// The DynamoDB table the daemons coordinate through.
        public let table: String
        /// How long a leader's lease lasts after its last renewal.
        public let lease: TimeSpan
        /// How often the leader renews its lease.
        public let heartbeat: TimeSpan
        /// This daemon's name in the table; by default the host's name up to its first dot.
        public let node: String

        /// High-availability settings.
        public init(table: String, lease: TimeSpan, heartbeat: TimeSpan, node: String) {
            self.table = table
            self.lease = lease
            self.heartbeat = heartbeat
            self.node = node
        }
    }
}
