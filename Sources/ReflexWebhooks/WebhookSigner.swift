import Crypto
import Foundation

/// Signs deliveries per the Standard Webhooks specification: HMAC-SHA256 over
/// `"{webhook-id}.{webhook-timestamp}.{body}"` with each secret (`whsec_` + base64), sent as
/// `webhook-signature: v1,<base64> v1,<base64> ...` so that receivers can rotate keys.
public struct WebhookSigner: Sendable {
    private let keys: [SymmetricKey]

    /// A signer for `secrets` (each `whsec_...` or raw base64); fails on a secret that is not
    /// base64. Never logs or prints them.
    public init(secrets: [String]) throws {
        keys = try secrets.map { secret in
            let encoded = secret.hasPrefix("whsec_") ? String(secret.dropFirst(6)) : secret
            guard let data = Data(base64Encoded: encoded), !data.isEmpty else { throw WebhookError.invalidSecret }
            return SymmetricKey(data: data)
        }
    }

    /// Whether any secret is configured.
    public var isSigning: Bool { !keys.isEmpty }

    /// The `webhook-signature` value for a delivery.
    public func signature(id: String, timestamp: Int, body: Data) -> String {
        var message = Data("\(id).\(timestamp).".utf8)
        message.append(body)
        return keys.map { key in
            "v1," + Data(HMAC<SHA256>.authenticationCode(for: message, using: key)).base64EncodedString()
        }.joined(separator: " ")
    }
}

/// Webhook configuration problems. Their descriptions never include a secret.
public enum WebhookError: Error, Hashable, Sendable, CustomStringConvertible {
    case invalidSecret
    case unreadableSecret(receiver: String, source: String)
    /// A receiver whose `url` does not parse (the config parser normally rejects it first).
    case invalidURL(receiver: String)
    /// A routing key file that others may use or its group may write.
    case exposedSecret(receiver: String, file: String, mode: String)
    /// A routing key file that does not hold exactly one word.
    case invalidRoutingKey(receiver: String, file: String)

    public var description: String {
        switch self {
        case .invalidSecret: "a webhook secret is not base64 (expected whsec_ followed by base64)"
        case let .unreadableSecret(receiver, source): "receiver '\(receiver)': cannot read its secret from \(source)"
        case let .invalidURL(receiver): "receiver '\(receiver)': its url is not a valid URL"
        case let .exposedSecret(receiver, file, mode):
            "receiver '\(receiver)': routing_key_file \(file) is open to others or writable by its group (mode \(mode)); make it 0640 or 0600"
        case let .invalidRoutingKey(receiver, file): "receiver '\(receiver)': routing_key_file \(file) must hold the routing key alone, as one word"
        }
    }
}
