import Foundation

/// The credentials of a role assumed through STS: fetched on first use, kept until five
/// minutes before they expire, then fetched again (one STS call however many callers wait).
/// Either AssumeRole, signed with the STS client's credentials (the base identity), or
/// AssumeRoleWithWebIdentity with a token file read anew at every refresh, because the
/// platform (EKS, for one) rotates the token in place.
public actor AssumedRoleCredentials: CredentialSource {
    /// The role assumed.
    public nonisolated let role: RoleAssumption
    /// The identity that assumes it: the credentials the STS client signs with (unused for a
    /// web identity, whose call is unsigned).
    public nonisolated let base: any CredentialSource
    private let cache: CredentialCache

    /// `role`, assumed by AssumeRole through `sts`, whose credentials are the base identity.
    /// `now` is the clock the refresh time is read from.
    public init(role: RoleAssumption, sts: STSClient, now: @escaping @Sendable () -> Date = Date.init) {
        self.role = role
        base = sts.client.credentials
        cache = CredentialCache(now: now) { try await sts.assumeRole(role) }
    }

    /// `role` assumed with AssumeRoleWithWebIdentity and the token in `tokenFile`, read at
    /// each refresh. The role's external id is not used (web identities have none).
    public init(role: RoleAssumption, webIdentityTokenFile tokenFile: String, sts: STSClient,
                now: @escaping @Sendable () -> Date = Date.init) {
        self.role = role
        base = sts.client.credentials
        cache = CredentialCache(now: now) {
            try await sts.assumeRoleWithWebIdentity(role, tokenFile: tokenFile)
        }
    }

    /// Valid credentials of the role, refreshed if the cached ones expire within five minutes.
    public func credentials() async throws -> AWSCredentials {
        try await cache.credentials()
    }
}

extension STSClient {
    /// AssumeRoleWithWebIdentity for `role` with the token read from `tokenFile` now. The
    /// error for an unreadable file names the file, never the token.
    func assumeRoleWithWebIdentity(_ role: RoleAssumption, tokenFile: String) async throws -> AWSCredentials {
        guard let text = try? String(contentsOfFile: tokenFile, encoding: .utf8) else {
            throw AWSError.noCredentials("cannot read the web identity token file \(tokenFile) for \(role.roleARN)")
        }
        let token = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !token.isEmpty else {
            throw AWSError.noCredentials("the web identity token file \(tokenFile) for \(role.roleARN) is empty")
        }
        return try await assumeRoleWithWebIdentity(roleARN: role.roleARN, sessionName: role.sessionName, token: token,
                                                   durationSeconds: role.durationSeconds)
    }
}
