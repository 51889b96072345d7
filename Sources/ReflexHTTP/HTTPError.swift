/// Why an HTTP exchange produced no response. HTTP error statuses are responses, not errors:
/// callers decide what a 4xx or 5xx means.
public enum HTTPError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The host name did not resolve.
    case dns(String)
    /// No connection could be made.
    case connect(String)
    /// The connection or the whole exchange took too long.
    case timeout(String)
    /// The TLS handshake or certificate verification failed.
    case tls(String)
    /// The response was larger than the request's `maxResponseBytes`; the transfer was cut.
    case responseTooLarge(limit: Int)
    /// Anything else the transport reported.
    case transport(code: Int, String)

    public var description: String {
        switch self {
        case let .dns(message): "DNS: \(message)"
        case let .connect(message): "connect: \(message)"
        case let .timeout(message): "timeout: \(message)"
        case let .tls(message): "TLS: \(message)"
        case let .responseTooLarge(limit): "response too large: more than \(limit) bytes, transfer aborted"
        case let .transport(code, message): "transport error \(code): \(message)"
        }
    }
}
