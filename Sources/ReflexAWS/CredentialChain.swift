import Foundation
import Logging
import ReflexHTTP

/// Resolves credentials in the SDKs' order (environment, web identity, shared profile,
/// container, instance metadata), caches them, and refreshes temporary ones five minutes
/// before they expire.
public actor CredentialChain: CredentialSource {
    private let cache: CredentialCache

    /// The standard chain over `environment`, fetching remote credentials with `http`. Roles
    /// (web identity, profiles with `role_arn`) are assumed through STS in `region` (else the
    /// environment's region, else us-east-1), with `retry` and `logger` for those calls.
    public init(environment: AWSEnvironment = AWSEnvironment(), http: any HTTPClient, region: String? = nil,
                retry: RetryPolicy = RetryPolicy(), logger: Logger = Logger(label: "reflex.aws"),
                now: @escaping @Sendable () -> Date = Date.init) {
        let sts = STSAccess(region: region ?? environment.region(configured: nil) ?? STSAccess.fallbackRegion,
                            environment: environment, http: http, retry: retry, logger: logger)
        let providers: [any CredentialProvider] = [
            EnvironmentCredentialProvider(environment: environment),
            WebIdentityCredentialProvider(environment: environment, sts: sts),
            ProfileCredentialProvider(environment: environment, http: http, sts: sts),
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
