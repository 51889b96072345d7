import Foundation
import ReflexCore
import ReflexHTTP

/// A configured receiver with its URL parsed, its secrets read and its signer ready.
struct Receiver: Sendable {
    /// The most bytes of a receiver's answer read: only its status and headers matter.
    static let maxResponseBytes = 64 << 10

    let config: ReceiverSettings
    let url: URL
    let signer: WebhookSigner
    /// A `pagerduty` receiver's routing key: in memory only, put in each event as it is sent.
    let routingKey: String?

    /// Reads the receiver's secrets: a file (one or more secrets separated by white space, for
    /// rotation) or an environment variable; or, for PagerDuty, the routing key file.
    init(_ config: ReceiverSettings, environment: [String: String]) throws {
        self.config = config
        // The config parser has checked the URL; a receiver built otherwise must not be dropped
        // in silence.
        guard let url = URL(string: config.url) else { throw WebhookError.invalidURL(receiver: config.name) }
        self.url = url
        var secrets: [String] = []
        if let file = config.secretFile {
            guard let text = try? String(contentsOfFile: file, encoding: .utf8) else {
                throw WebhookError.unreadableSecret(receiver: config.name, source: "secret_file \(file)")
            }
            secrets += text.split(whereSeparator: \.isWhitespace).map(String.init)
        }
        if let variable = config.secretEnvironment {
            guard let value = environment[variable], !value.isEmpty else {
                throw WebhookError.unreadableSecret(receiver: config.name, source: "environment variable \(variable)")
            }
            secrets += value.split(whereSeparator: \.isWhitespace).map(String.init)
        }
        signer = try WebhookSigner(secrets: secrets)
        routingKey = try config.routingKeyFile.map { try RoutingKeyFile.read($0, receiver: config.name) }
    }

    /// The POST that delivers `delivery`, signed at `timestamp` (Unix seconds); for PagerDuty,
    /// in the alert of the decision's firing `episode`.
    func request(for delivery: PendingDelivery, at timestamp: Int, episode: Int64?) -> HTTPRequest {
        let body = switch config.format {
        case .standard: WebhookEvent.body(of: delivery)
        case .slack: WebhookEvent.slack(type: delivery.event, decision: delivery.decision)
        case .pagerduty: PagerDutyEvent.body(type: delivery.event, decision: delivery.decision, episode: episode, routingKey: routingKey ?? "")
        }
        var headers: [(name: String, value: String)] = [("Content-Type", "application/json"), ("User-Agent", "reflex")]
        if config.format == .standard {
            headers += [("webhook-id", delivery.webhookID), ("webhook-timestamp", String(timestamp))]
            if signer.isSigning {
                headers.append(("webhook-signature", signer.signature(id: delivery.webhookID, timestamp: timestamp, body: body)))
            }
        }
        headers += config.headers.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
        return HTTPRequest(method: "POST", url: url, headers: headers, body: body, connectTimeout: .seconds(5),
                           timeout: .seconds(config.timeout.seconds), maxResponseBytes: Self.maxResponseBytes)
    }

    /// `text` (a receiver's answer, an error) with the routing key masked: a receiver that
    /// echoes the event must not bring the key into the log or the database.
    func masked(_ text: String?) -> String? {
        guard let text, let routingKey else { return text }
        return text.replacingOccurrences(of: routingKey, with: "[routing key]")
    }
}
