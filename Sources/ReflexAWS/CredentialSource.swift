/// Where an `AWSClient` gets the credentials it signs with: the default chain, a role assumed
/// through STS, or anything else that can hand out valid credentials on demand.
public protocol CredentialSource: Sendable {
    /// Credentials valid for at least the next request; a source refreshes them as needed.
    func credentials() async throws -> AWSCredentials
}

/// Credentials already resolved, handed to STS as the base identity of one AssumeRole.
struct FixedCredentials: CredentialSource {
    let value: AWSCredentials
    func credentials() -> AWSCredentials { value }
}

/// The credentials of a client whose calls are all unsigned (STS AssumeRoleWithWebIdentity):
/// asking for them is a programming error reported as a missing credential.
struct NoCredentials: CredentialSource {
    func credentials() throws -> AWSCredentials {
        throw AWSError.noCredentials("this client sends only unsigned requests")
    }
}
