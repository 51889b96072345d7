import Foundation
import ReflexHTTP

/// Resolves credentials in the SDKs' order (environment, shared profile, container, instance
/// metadata), caches them, and refreshes temporary ones five minutes before they expire.
public actor CredentialChain {
    private let providers: [any CredentialProvider]
    private let now: @Sendable () -> Date
    private var cached: AWSCredentials?

    /// The standard chain over `environment`, fetching remote credentials with `http`.
    public init(environment: AWSEnvironment = AWSEnvironment(), http: any HTTPClient, now: @escaping @Sendable () -> Date = Date.init) {
        providers = [
            EnvironmentCredentialProvider(environment: environment),
            ProfileCredentialProvider(environment: environment),
            ContainerCredentialProvider(environment: environment, http: http),
            InstanceMetadataCredentialProvider(environment: environment, http: http),
        ]
        self.now = now
    }

    /// Valid credentials, refreshed if the cached ones expire within five minutes.
    public func credentials() async throws -> AWSCredentials {
        if let cached, cached.expiration.map({ $0.timeIntervalSince(now()) > 300 }) ?? true { return cached }
        for provider in providers {
            if let found = try await provider.credentials() {
                cached = found
                return found
            }
        }
        throw AWSError.noCredentials("none found in " + providers.map(\.name).joined(separator: ", "))
    }
}
