import Foundation
import ReflexCore

/// What a webhook receiver's config must satisfy beyond its shape: a URL that deliveries can
/// actually go to, encryption unless the receiver waives it, and headers that cannot smuggle
/// in other headers. Each check answers the problem to report, or nil; the config error that
/// carries it escapes any control character it quotes.
enum ReceiverRules {
    /// Why `text` is not a URL to deliver to: unparseable, not http(s), no host, or plain
    /// `http://` to a host other than this machine without `allowInsecure`.
    static func urlProblem(_ text: String, allowInsecure: Bool) -> String? {
        if let bad = text.unicodeScalars.first(where: { $0.properties.isWhitespace || $0.properties.generalCategory == .control }) {
            return "'url' is not a valid URL: it contains \(describe(bad))"
        }
        guard let components = URLComponents(string: text), URL(string: text) != nil, let scheme = components.scheme?.lowercased() else {
            return "'url' is not a valid URL: '\(text)'"
        }
        guard scheme == "https" || scheme == "http" else {
            return "'url' must start with https:// (or http:// for a receiver on this machine)"
        }
        guard let host = components.host, !host.isEmpty else { return "'url' has no host: '\(text)'" }
        if scheme == "http", !allowInsecure, !isLoopback(host) {
            return "'url' sends deliveries unencrypted (http://) to '\(host)', which is not this machine: "
                + "use https://, or set 'allow_insecure: true' on the receiver"
        }
        return nil
    }

    /// Why a receiver's keys do not fit its `format`, and the key to point at: a `pagerduty`
    /// receiver needs `routing_key_file` and has no signing secret (PagerDuty authenticates
    /// an event by its routing key and checks no signature); other formats have no routing key.
    static func formatProblem(_ format: ReceiverSettings.Format, keys: [String]) -> (key: String, message: String)? {
        guard format == .pagerduty else {
            return keys.contains("routing_key_file") ? ("routing_key_file", "'routing_key_file' applies only to 'format: pagerduty'") : nil
        }
        if let secret = keys.first(where: { $0 == "secret_file" || $0 == "secret_env" }) {
            return (secret, "'\(secret)' does not apply to 'format: pagerduty': PagerDuty checks no signature, the routing key authenticates")
        }
        return keys.contains("routing_key_file") ? nil : ("format", "'format: pagerduty' needs 'routing_key_file', the file holding the integration's routing key")
    }

    /// Whether `host` names this machine: `localhost`, 127.0.0.0/8 or ::1.
    static func isLoopback(_ host: String) -> Bool {
        let name = host.lowercased().trimmingCharacters(in: CharacterSet(charactersIn: "[]"))
        if name == "localhost" || name == "localhost." { return true }
        var v4 = in_addr()
        if inet_pton(AF_INET, name, &v4) == 1 { return UInt32(bigEndian: v4.s_addr) >> 24 == 127 }
        var v6 = in6_addr()
        guard inet_pton(AF_INET6, name, &v6) == 1 else { return false }
        return withUnsafeBytes(of: &v6) { bytes in bytes.dropLast().allSatisfy { $0 == 0 } && bytes.last == 1 }
    }

    /// Why `name` cannot be a header name: HTTP allows only "token" characters.
    static func headerNameProblem(_ name: String) -> String? {
        let token = CharacterSet(charactersIn: "!#$%&'*+-.^_`|~0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")
        guard let bad = name.unicodeScalars.first(where: { !token.contains($0) }) else { return nil }
        return "header name '\(name)' contains \(describe(bad)); a header name is letters, digits and !#$%&'*+-.^_`|~"
    }

    /// Why `value` cannot be a header value: a control character (CR and LF above all) would
    /// end the header and start another.
    static func headerValueProblem(_ name: String, _ value: String) -> String? {
        guard let bad = value.unicodeScalars.first(where: { $0.properties.generalCategory == .control }) else { return nil }
        return "the value of header '\(name)' contains \(describe(bad)); control characters would inject headers"
    }

    private static func describe(_ scalar: Unicode.Scalar) -> String {
        if scalar.properties.generalCategory == .control || scalar.properties.isWhitespace {
            return "a control or space character (U+\(String(format: "%04X", scalar.value)))"
        }
        return "'\(scalar)'"
    }
}
