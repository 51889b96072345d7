import Foundation

/// An HTTP request as Reflex sends it: small bodies, explicit headers, explicit timeouts.
public struct HTTPRequest: Sendable {
    /// `GET`, `POST`, `PUT`, ...
    public var method: String
    /// The absolute URL.
    public var url: URL
    /// Header fields in order; names as given.
    public var headers: [(name: String, value: String)]
    /// The body; empty for none.
    public var body: Data
    /// How long connecting may take.
    public var connectTimeout: Duration
    /// How long the whole exchange may take.
    public var timeout: Duration
    /// The most bytes of response (headers and body) accepted: a larger response fails with
    /// `HTTPError.responseTooLarge` instead of filling memory.
    public var maxResponseBytes: Int

    /// The default `maxResponseBytes`: ample for credentials and small API answers; callers
    /// that expect more (AWS data) or less (webhook receivers) say so.
    public static let defaultMaxResponseBytes = 1 << 20

    /// A request with the given parts.
    public init(method: String, url: URL, headers: [(name: String, value: String)] = [], body: Data = Data(),
                connectTimeout: Duration = .seconds(5), timeout: Duration = .seconds(30),
                maxResponseBytes: Int = defaultMaxResponseBytes) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
        self.connectTimeout = connectTimeout
        self.timeout = timeout
        self.maxResponseBytes = maxResponseBytes
    }

    /// The first value of header `name`, compared case-insensitively.
    public func header(_ name: String) -> String? {
        headers.first { $0.name.caseInsensitiveCompare(name) == .orderedSame }?.value
    }
}

/// An HTTP response: status, headers (names lower-cased) and body.
public struct HTTPResponse: Sendable {
    /// The status code.
    public let status: Int
    /// Header values by lower-cased name; a repeated header keeps its last value.
    public let headers: [String: String]
    /// The body.
    public let body: Data

    /// A response.
    public init(status: Int, headers: [String: String], body: Data) {
        self.status = status
        self.headers = headers
        self.body = body
    }
}

extension Duration {
    /// The duration in whole milliseconds, rounded down.
    public var milliseconds: Int64 {
        components.seconds * 1000 + components.attoseconds / 1_000_000_000_000_000
    }
}
