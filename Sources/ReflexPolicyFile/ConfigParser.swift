import Foundation
import ReflexCore
import Yams

/// Reads the daemon config file, with the same `file:line:col` errors as policy files.
public enum ConfigParser {
    static let keys = ["region", "policies", "allow_no_policies", "database", "poll_interval", "discovery_interval", "safe_mode", "guardrails", "receivers", "audit", "accounts", "ha"]
    static let auditKeys = ["signing_key", "checkpoint_every"]
    static let guardrailKeys = ["max_actions"]
    static let receiverKeys = ["url", "secret_file", "secret_env", "format", "headers", "timeout", "allow_insecure", "routing_key_file"]

    /// Loads and validates the config at `path`. Relative paths inside it are resolved against
    /// the config file's directory.
    public static func load(path: String) throws(PolicyFileError) -> DaemonConfig {
        try parse(try PolicyLoader.readText(path), file: path)
    }

    /// Validates config `text` read from `file`. `hostName` gives `ha.node`'s default (the
    /// name up to its first dot); it is asked only when `ha:` leaves `node` out.
    public static func parse(_ text: String, file: String,
                             hostName: () -> String = { ProcessInfo.processInfo.hostName }) throws(PolicyFileError) -> DaemonConfig {
        let reader = NodeReader(file: file)
        guard let root = try YAMLDocument.root(of: text, file: file) else {
            throw reader.error(nil, "the config file is empty")
        }
        let fields = try reader.mapping(root, "the config", allowed: keys)
        let directory = (file as NSString).deletingLastPathComponent
        func path(_ key: String, default value: String) throws(PolicyFileError) -> String {
            guard let node = fields[key] else { return value }
            let text = try reader.nonEmptyString(node, "'\(key)'")
            return text.hasPrefix("/") ? text : (directory as NSString).appendingPathComponent(text)
        }
        let interval = try fields["poll_interval"].map { (node: Node) throws(PolicyFileError) -> TimeSpan in
            let span = try reader.duration(node, "'poll_interval'")
            guard span.seconds >= 1 else { throw reader.error(node, "'poll_interval' must be at least 1s") }
            return span
        } ?? .minutes(1)
        let discoveryInterval = try fields["discovery_interval"].map { (node: Node) throws(PolicyFileError) -> TimeSpan in
            let span = try reader.duration(node, "'discovery_interval'")
            // Listing a fleet costs API calls (and tagging API quota): not more than every 10 s.
            guard span.seconds >= 10 else { throw reader.error(node, "'discovery_interval' must be at least 10s") }
            return span
        } ?? .minutes(5)
        var budget: Budget?
        if let node = fields["guardrails"] {
            let guardrails = try reader.mapping(node, "'guardrails'", allowed: guardrailKeys)
            if let budgetNode = guardrails["max_actions"] {
                let text = try reader.string(budgetNode, "'max_actions'")
                guard let parsed = Budget(parsing: text) else {
                    throw reader.error(budgetNode, "'max_actions' must read 'N per D', e.g. '10 per 1h', found '\(text)'")
                }
                budget = parsed
            }
        }
        let audit = try fields["audit"].map { (node: Node) throws(PolicyFileError) in try reader.mapping(node, "'audit'", allowed: auditKeys) }
        let checkpointEvery = try audit?["checkpoint_every"].map { (node: Node) throws(PolicyFileError) in
            try reader.duration(node, "'checkpoint_every'")
        } ?? .hours(1)
        let signingKey = try audit?["signing_key"].map { (node: Node) throws(PolicyFileError) -> String in
            let file = try reader.nonEmptyString(node, "'signing_key'")
            return file.hasPrefix("/") ? file : (directory as NSString).appendingPathComponent(file)
        }
        return DaemonConfig(
            region: try fields["region"].map { (node: Node) throws(PolicyFileError) -> String in
                let region = try reader.nonEmptyString(node, "'region'")
                guard RegionName.isValid(region) else { throw reader.error(node, "'region': '\(region)' is not a region name (like us-east-1)") }
                return region
            },
            policies: try path("policies", default: "/etc/reflex/policies"),
            allowNoPolicies: try fields["allow_no_policies"].map { (node: Node) throws(PolicyFileError) in
                try reader.boolean(node, "'allow_no_policies'")
            } ?? false,
            database: try path("database", default: "/var/lib/reflex/reflex.db"),
            pollInterval: interval,
            discoveryInterval: discoveryInterval,
            safeMode: try fields["safe_mode"].map { (node: Node) throws(PolicyFileError) in try reader.boolean(node, "'safe_mode'") } ?? false,
            globalBudget: budget,
            receivers: try receivers(fields["receivers"], reader: reader, directory: directory),
            auditSigningKey: signingKey, checkpointEvery: checkpointEvery,
            accounts: try AccountsParser.parse(fields["accounts"], reader: reader, directory: directory),
            highAvailability: try HighAvailabilityParser.parse(fields["ha"], reader: reader, hostName: hostName))
    }

    private static func receivers(_ node: Node?, reader: NodeReader, directory: String) throws(PolicyFileError) -> [ReceiverSettings] {
        guard let node else { return [] }
        guard case let .mapping(mapping) = node else { throw reader.error(node, "'receivers' must map names to receivers") }
        var receivers: [ReceiverSettings] = []
        // A file named in a receiver: relative to the config file's directory.
        func path(_ node: Node, _ what: String) throws(PolicyFileError) -> String {
            let file = try reader.nonEmptyString(node, what)
            return file.hasPrefix("/") ? file : (directory as NSString).appendingPathComponent(file)
        }
        for (key, value) in mapping {
            let name = try reader.nonEmptyString(key, "a receiver name")
            let fields = try reader.mapping(value, "receiver '\(name)'", allowed: receiverKeys)
            let format = try fields["format"].map { (node: Node) throws(PolicyFileError) in
                try reader.choice(node, "'format'", ReceiverSettings.Format.self)
            } ?? .standard
            if let problem = ReceiverRules.formatProblem(format, keys: fields.keys) {
                throw reader.error(fields.keyNode(problem.key) ?? value, "receiver '\(name)': \(problem.message)")
            }
            // A PagerDuty receiver delivers to PagerDuty's Events API unless told otherwise.
            let urlNode = format == .pagerduty ? fields["url"] : try fields.required("url", in: "receiver '\(name)'", reader: reader)
            let url = try urlNode.map { (node: Node) throws(PolicyFileError) in try reader.nonEmptyString(node, "'url'") }
                ?? ReceiverSettings.pagerDutyEventsURL
            let allowInsecure = try fields["allow_insecure"].map { (node: Node) throws(PolicyFileError) in
                try reader.boolean(node, "'allow_insecure'")
            } ?? false
            if let problem = ReceiverRules.urlProblem(url, allowInsecure: allowInsecure) {
                throw reader.error(urlNode, "receiver '\(name)': \(problem)")
            }
            var headers: [String: String] = [:]
            if let headersNode = fields["headers"] {
                guard case let .mapping(pairs) = headersNode else { throw reader.error(headersNode, "'headers' must map names to values") }
                for (header, headerValue) in pairs {
                    let headerName = try reader.nonEmptyString(header, "a header name")
                    let value = try reader.string(headerValue, "a header value")
                    if let problem = ReceiverRules.headerNameProblem(headerName) { throw reader.error(header, "receiver '\(name)': \(problem)") }
                    if let problem = ReceiverRules.headerValueProblem(headerName, value) {
                        throw reader.error(headerValue, "receiver '\(name)': \(problem)")
                    }
                    headers[headerName] = value
                }
            }
            receivers.append(ReceiverSettings(
                name: name, url: url,
                secretFile: try fields["secret_file"].map { (node: Node) throws(PolicyFileError) in try path(node, "'secret_file'") },
                secretEnvironment: try fields["secret_env"].map { (node: Node) throws(PolicyFileError) in try reader.nonEmptyString(node, "'secret_env'") },
                format: format,
                headers: headers,
                timeout: try fields["timeout"].map { (node: Node) throws(PolicyFileError) in try reader.duration(node, "'timeout'") } ?? TimeSpan(seconds: 10),
                routingKeyFile: try fields["routing_key_file"].map { (node: Node) throws(PolicyFileError) in try path(node, "'routing_key_file'") }))
        }
        return receivers
    }
}
