import Foundation

/// Credentials kept until five minutes before they expire, then fetched anew: the SDKs' rule,
/// which leaves a request signed just before the refresh time to finish well before expiry.
/// Callers that arrive while a fetch is under way wait for that fetch rather than starting
/// their own, so a burst of calls at refresh time makes one request to the credential source.
actor CredentialCache {
    /// How long before their expiry credentials are replaced.
    static let refreshMargin: TimeInterval = 300

    private let fetch: @Sendable () async throws -> AWSCredentials
    private let now: @Sendable () -> Date
    private var cached: AWSCredentials?
    private var inFlight: Task<AWSCredentials, any Error>?

    /// A cache over `fetch`, reading the time from `now`.
    init(now: @escaping @Sendable () -> Date, fetch: @escaping @Sendable () async throws -> AWSCredentials) {
        self.now = now
        self.fetch = fetch
    }

    /// The cached credentials, or fresh ones when they expire within the margin.
    func credentials() async throws -> AWSCredentials {
        if let cached, cached.expiration.map({ $0.timeIntervalSince(now()) > Self.refreshMargin }) ?? true { return cached }
        if let inFlight { return try await inFlight.value }
        let fetch = self.fetch
        let task = Task { try await fetch() }
        inFlight = task
        // Cleared on failure too, so that the next caller tries again.
        defer { inFlight = nil }
        let found = try await task.value
        cached = found
        return found
    }
}
