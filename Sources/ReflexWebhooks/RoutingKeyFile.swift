import Foundation

/// Reads a `pagerduty` receiver's routing key from its `routing_key_file`, as a secret (the key
/// lets anyone who has it page the service's on-call): no access at all for others, and no
/// writing for the group, which may read it as the package's `/etc/reflex` intends (`root:reflex
/// 0750`, so a key file `root:reflex 0640` is read by the daemon and no one else). The file
/// holds the key as one word. Errors name the file, never its content.
enum RoutingKeyFile {
    static func read(_ path: String, receiver: String) throws -> String {
        var status = stat()
        guard stat(path, &status) == 0, let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw WebhookError.unreadableSecret(receiver: receiver, source: "routing_key_file \(path)")
        }
        guard status.st_mode & 0o027 == 0 else {
            throw WebhookError.exposedSecret(receiver: receiver, file: path, mode: String(status.st_mode & 0o777, radix: 8))
        }
        let words = text.split(whereSeparator: \.isWhitespace)
        guard words.count == 1, let key = words.first else { throw WebhookError.invalidRoutingKey(receiver: receiver, file: path) }
        return String(key)
    }
}
