import Foundation
import ReflexHTTP

/// Resolves credentials in the SDKs' order (environment, shared profile, container, instance
/// metadata), caches them, and refreshes temporary ones five minutes before they expire.
public actor CredentialChain: CredentialSource {
    private let cache: CredentialCache

    /// The standard chain over `environment`, fetching remote credentials with `http`.
    public init(environment: AWSEnvironment = AWSEnvironment(), http: any HTTPClient, now: @escaping @Sendable () -> Date = Date.init) {
        let providers: [any CredentialProvider] = [
            EnvironmentCredentialProvider(environment: environment),
            ProfileCredentialProvider(environment: environment),
            ContainerCredentialProvider(environment: environment, http: http),
            InstanceMetadataCredentialProvider(environment: environment, http: http),
        ]
        cache = CredentialCache(now: now) {
            for provider in providers {
                if let found = try await provider.credentials() { return found }
            }
            throw AWSError.noCredentials("none found in " + providers.map(\.name).joined(separator: ", "))
        }
    }

    /// Valid credentials, refreshed if the cached ones expire within five minutes.
    public func credentials() async throws -> AWSCredentials {
        try await cache.credentials()
    }
}
