import ReflexCore
import Yams

/// Reads the config's `ha:`, the DynamoDB table and timings several daemons coordinate with.
enum HighAvailabilityParser {
    static let keys = ["table", "lease", "heartbeat", "node"]
    static let defaultLease = TimeSpan(seconds: 20)
    static let defaultHeartbeat = TimeSpan(seconds: 5)

    /// The settings in `node`, nil without `ha:`; `hostName` gives the default node's name.
    static func parse(_ node: Node?, reader: NodeReader, hostName: () -> String) throws(PolicyFileError) -> DaemonConfig.HighAvailability? {
        guard let node else { return nil }
        let fields = try reader.mapping(node, "'ha'", allowed: keys)
        let tableNode = try fields.required("table", in: "'ha'", reader: reader)
        let table = try reader.string(tableNode, "'ha.table'")
        guard (3...255).contains(table.count), table.allSatisfy(isNameCharacter) else {
            throw reader.error(tableNode, "'ha.table': '\(table)' is not a DynamoDB table name: 3 to 255 letters, digits, '_', '.' or '-'")
        }
        // Read with negative spans allowed so that 0s meets the rules below, not "longer than zero".
        let heartbeat = try fields["heartbeat"].map { (node: Node) throws(PolicyFileError) -> TimeSpan in
            let span = try reader.duration(node, "'ha.heartbeat'", allowNegative: true)
            guard span.seconds >= 1 else { throw reader.error(node, "'ha.heartbeat' must be at least 1s, found \(span)") }
            return span
        } ?? defaultHeartbeat
        let leaseNode = fields["lease"]
        let lease = try leaseNode.map { (node: Node) throws(PolicyFileError) in
            try reader.duration(node, "'ha.lease'", allowNegative: true)
        } ?? defaultLease
        let shortest = TimeSpan(seconds: heartbeat.seconds * 2 + 1)
        guard lease >= shortest else {
            // Where the lease is written, else at the heartbeat that made the default too short.
            let written = leaseNode == nil ? "the default 'ha.lease'" : "'ha.lease'"
            throw reader.error(leaseNode ?? fields["heartbeat"],
                               "\(written) must be at least twice 'ha.heartbeat' plus 1s, \(shortest) with heartbeat \(heartbeat), found \(lease): "
                               + "a leader stops acting once its last renewal is older than lease - heartbeat - the call timeout, "
                               + "so a shorter lease leaves it no time to act")
        }
        let name: String
        if let nameNode = fields["node"] {
            name = try reader.string(nameNode, "'ha.node'")
            guard isNodeName(name) else {
                throw reader.error(nameNode, "'ha.node': '\(name)' is not a node name: 1 to 64 letters, digits, '_', '.' or '-'")
            }
        } else {
            let host = hostName()
            name = host.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) ?? ""
            guard isNodeName(name) else {
                throw reader.error(fields.node, "'ha' needs 'node': the host name '\(host)' does not give one "
                                   + "(1 to 64 letters, digits, '_', '.' or '-' before its first dot)")
            }
        }
        return DaemonConfig.HighAvailability(table: table, lease: lease, heartbeat: heartbeat, node: name)
    }

    static func isNodeName(_ name: String) -> Bool {
        (1...64).contains(name.count) && name.allSatisfy(isNameCharacter)
    }

    /// The characters DynamoDB allows in a table name, also those of a node's name.
    private static func isNameCharacter(_ character: Character) -> Bool {
        character.isASCII && (character.isLetter || character.isNumber || character == "_" || character == "." || character == "-")
    }
}
