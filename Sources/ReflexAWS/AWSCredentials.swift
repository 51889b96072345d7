import Foundation

/// AWS credentials. Their description never shows the secret or the session token, so they
/// cannot leak into a log line or an error by accident.
public struct AWSCredentials: Hashable, Sendable, CustomStringConvertible, CustomDebugStringConvertible {
    /// The access key id (not secret: it appears in every signed request).
    public let accessKeyID: String
    /// The secret access key.
    public let secretAccessKey: String
    /// The session token of temporary credentials.
    public let sessionToken: String?
    /// When temporary credentials expire.
    public let expiration: Date?
    /// Where the credentials came from, e.g. `environment` or `profile default`.
    public let source: String

    /// Credentials from `source`.
    public init(accessKeyID: String, secretAccessKey: String, sessionToken: String? = nil, expiration: Date? = nil, source: String) {
        self.accessKeyID = accessKeyID
        self.secretAccessKey = secretAccessKey
        self.sessionToken = sessionToken
        self.expiration = expiration
        self.source = source
    }

    public var description: String {
        "AWSCredentials(\(accessKeyID), from \(source)" + (expiration.map { ", expires \($0.formatted(.iso8601))" } ?? "") + ")"
    }

    public var debugDescription: String { description }
}
