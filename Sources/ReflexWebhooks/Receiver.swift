import Foundation
import ReflexAudit
import ReflexHTTP
import ReflexPolicyFile

/// A configured receiver with its URL parsed, its secrets read and its signer ready.
struct Receiver: Sendable {
    /// The most bytes of a receiver's answer read: only its status and headers matter.
    static let maxResponseBytes = 64 << 10

    let config: DaemonConfig.Receiver
    let url: URL
    let signer: WebhookSigner

    /// Reads the receiver's secrets: a file (one or more secrets separated by white space, for
    /// rotation) or an environment variable.
    init(_ config: DaemonConfig.Receiver, environment: [String: String]) throws {
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
    }

    /// The POST that delivers `delivery`, signed at `timestamp` (Unix seconds).
    func request(for delivery: PendingDelivery, at timestamp: Int) -> HTTPRequest {
        let body = config.format == .slack
            ? WebhookEvent.slack(type: delivery.event, decision: delivery.decision)
            : WebhookEvent.body(webhookID: delivery.webhookID, type: delivery.event, decision: delivery.decision)
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
}
