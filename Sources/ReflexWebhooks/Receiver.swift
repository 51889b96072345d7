import Foundation
import ReflexPolicyFile

/// A configured receiver with its secrets read and its signer ready.
struct Receiver: Sendable {
    let config: DaemonConfig.Receiver
    let signer: WebhookSigner

    /// Reads the receiver's secrets: a file (one or more secrets separated by white space, for
    /// rotation) or an environment variable.
    init(_ config: DaemonConfig.Receiver, environment: [String: String]) throws {
        self.config = config
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
}
