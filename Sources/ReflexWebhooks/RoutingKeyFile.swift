import Foundation

/// Reads a `pagerduty` receiver's routing key from its `routing_key_file`, as a secret: the
/// file must be readable by its owner only (the key lets anyone page the service's on-call),
/// and hold the key as one word. Errors name the file, never its content.
enum RoutingKeyFile {
    static func read(_ path: String, receiver: String) throws -> String {
        var status = stat()
        guard stat(path, &status) == 0, let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw WebhookError.unreadableSecret(receiver: receiver, source: "routing_key_file \(path)")
        }
        guard status.st_mode & 0o077 == 0 else {
            throw WebhookError.exposedSecret(receiver: receiver, file: path, mode: String(status.st_mode & 0o777, radix: 8))
        }
        let words = text.split(whereSeparator: \.isWhitespace)
        guard words.count == 1, let key = words.first else { throw WebhookError.invalidRoutingKey(receiver: receiver, file: path) }
        return String(key)
    }
}
