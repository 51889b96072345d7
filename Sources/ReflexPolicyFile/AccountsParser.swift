import Foundation
import ReflexCore
import Yams

/// Reads the config's `accounts:`, the AWS accounts policies may name besides the daemon's own.
enum AccountsParser {
    static let accountKeys = ["role_arn", "external_id", "external_id_file", "session_name", "duration", "regions"]

    /// The accounts in `node` (a mapping of names to accounts); files are relative to `directory`.
    static func parse(_ node: Node?, reader: NodeReader, directory: String) throws(PolicyFileError) -> [DaemonConfig.Account] {
        guard let node else { return [] }
        guard case let .mapping(mapping) = node else { throw reader.error(node, "'accounts' must map names to accounts") }
        var accounts: [DaemonConfig.Account] = []
        for (key, value) in mapping {
            let name = try reader.nonEmptyString(key, "an account name")
            let fields = try reader.mapping(value, "account '\(name)'", allowed: accountKeys)
            let roleNode = try fields.required("role_arn", in: "account '\(name)'", reader: reader)
            let roleARN = try reader.nonEmptyString(roleNode, "'role_arn'")
            guard let id = RoleARN.accountID(of: roleARN) else {
                throw reader.error(roleNode, "account '\(name)': 'role_arn' must be an IAM role ARN, arn:aws:iam::ACCOUNT_ID:role/NAME, found '\(roleARN)'")
            }
            if let other = accounts.first(where: { $0.id == id }) {
                throw reader.error(roleNode, "account '\(name)': account \(id) is already configured as '\(other.name)'; one role per account")
            }
            if fields["external_id"] != nil, let both = fields.keyNode("external_id_file") {
                throw reader.error(both, "account '\(name)': give 'external_id' or 'external_id_file', not both")
            }
            let duration = try fields["duration"].map { (node: Node) throws(PolicyFileError) -> TimeSpan in
                let span = try reader.duration(node, "'duration'")
                // STS's own bounds for AssumeRole: 15 minutes to 12 hours.
                guard span.seconds >= 900, span.seconds <= 43_200 else {
                    throw reader.error(node, "account '\(name)': 'duration' must be between 15m and 12h")
                }
                return span
            }
            accounts.append(DaemonConfig.Account(
                name: name, roleARN: roleARN, id: id,
                externalID: try fields["external_id"].map { (node: Node) throws(PolicyFileError) in try reader.nonEmptyString(node, "'external_id'") },
                externalIDFile: try fields["external_id_file"].map { (node: Node) throws(PolicyFileError) -> String in
                    let file = try reader.nonEmptyString(node, "'external_id_file'")
                    return file.hasPrefix("/") ? file : (directory as NSString).appendingPathComponent(file)
                },
                sessionName: try fields["session_name"].map { (node: Node) throws(PolicyFileError) in try reader.nonEmptyString(node, "'session_name'") },
                duration: duration,
                regions: try fields["regions"].map { (node: Node) throws(PolicyFileError) in try regions(node, "'regions'", reader: reader) } ?? []))
        }
        return accounts
    }

    /// A list of region names, each checked.
    static func regions(_ node: Node, _ what: String, reader: NodeReader) throws(PolicyFileError) -> [String] {
        let names = try reader.stringList(node, what)
        guard !names.isEmpty else { throw reader.error(node, "\(what) must name at least one region") }
        for name in names where !RegionName.isValid(name) {
            throw reader.error(node, "\(what): '\(name)' is not a region name (like us-east-1)")
        }
        return names
    }
}
