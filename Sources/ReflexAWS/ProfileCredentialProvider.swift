import ReflexHTTP

/// The profile in `~/.aws/credentials` and `~/.aws/config`: its static keys, or the role it
/// names (`role_arn`), assumed as the SDKs assume it. The base identity comes from
/// `source_profile` (that profile's static keys, or its own role, recursively), from
/// `credential_source` (`Environment`, `EcsContainer`, `Ec2InstanceMetadata`), or, with
/// `web_identity_token_file`, from a web identity token. `external_id`,
/// `role_session_name` and `duration_seconds` shape the AssumeRole call.
struct ProfileCredentialProvider: CredentialProvider {
    let environment: AWSEnvironment
    let http: any HTTPClient
    let sts: STSAccess
    var name: String { "profile \(environment.profile)" }

    func credentials() async throws -> AWSCredentials? {
        let profiles = environment.sharedProfiles()
        let settings = profiles[environment.profile] ?? [:]
        // As in the SDKs, the role of the profile in use wins over keys beside it.
        if settings["role_arn"] != nil { return try await assumeRole(of: environment.profile, profiles, chain: []) }
        return try staticKeys(of: environment.profile, settings)
    }

    /// The profile's `aws_access_key_id` and `aws_secret_access_key`, or nil without a key id.
    private func staticKeys(of profile: String, _ settings: [String: String]) throws -> AWSCredentials? {
        guard let key = settings["aws_access_key_id"] else { return nil }
        guard let secret = settings["aws_secret_access_key"] else {
            throw AWSError.noCredentials("profile \(profile) has aws_access_key_id but no aws_secret_access_key")
        }
        return AWSCredentials(accessKeyID: key, secretAccessKey: secret, sessionToken: settings["aws_session_token"], source: "profile \(profile)")
    }

    /// The role of `profile`, assumed with its base identity. `chain` holds the profiles whose
    /// source this one is, to refuse a cycle.
    private func assumeRole(of profile: String, _ profiles: [String: [String: String]], chain: [String]) async throws -> AWSCredentials {
        let settings = profiles[profile] ?? [:]
        let role = try RoleAssumption(configuredIn: "profile \(profile)", roleARN: settings["role_arn"] ?? "",
                                      externalID: settings["external_id"], sessionName: settings["role_session_name"],
                                      durationSeconds: settings["duration_seconds"])
        switch (settings["source_profile"], settings["credential_source"]) {
        case let (source?, nil):
            let base = try await sourceCredentials(source, profiles, chain: chain + [profile])
            return try await sts.client(signedWith: base).assumeRole(role)
        case let (nil, source?):
            return try await sts.client(signedWith: try await credentialSource(source, of: profile)).assumeRole(role)
        case (nil, nil):
            guard let tokenFile = settings["web_identity_token_file"] else {
                throw AWSError.noCredentials("profile \(profile) has role_arn but no source_profile, credential_source or web_identity_token_file")
            }
            return try await sts.client(signedWith: nil).assumeRoleWithWebIdentity(role, tokenFile: tokenFile)
        case (_?, _?):
            throw AWSError.noCredentials("profile \(profile) sets both source_profile and credential_source; it takes one")
        }
    }

    /// The credentials of `profile` used as a source profile: its static keys, which win
    /// there as in the SDKs (a profile may name itself to assume its role with its own keys),
    /// else its own role.
    private func sourceCredentials(_ profile: String, _ profiles: [String: [String: String]], chain: [String]) async throws -> AWSCredentials {
        let user = chain.last ?? profile
        guard let settings = profiles[profile] else {
            throw AWSError.noCredentials("profile \(user) names source_profile \(profile), which does not exist")
        }
        if let keys = try staticKeys(of: profile, settings) { return keys }
        guard settings["role_arn"] != nil else {
            throw AWSError.noCredentials("profile \(profile), the source_profile of \(user), has neither static keys nor role_arn")
        }
        guard !chain.contains(profile) else {
            throw AWSError.noCredentials("source_profile cycle: " + (chain + [profile]).joined(separator: " -> "))
        }
        return try await assumeRole(of: profile, profiles, chain: chain)
    }

    /// The credentials `credential_source` names.
    private func credentialSource(_ source: String, of profile: String) async throws -> AWSCredentials {
        let provider: any CredentialProvider
        switch source {
        case "Environment": provider = EnvironmentCredentialProvider(environment: environment)
        case "EcsContainer": provider = ContainerCredentialProvider(environment: environment, http: http)
        case "Ec2InstanceMetadata": provider = InstanceMetadataCredentialProvider(environment: environment, http: http)
        default:
            throw AWSError.noCredentials("profile \(profile) has credential_source \(source); it takes Environment, EcsContainer or Ec2InstanceMetadata")
        }
        guard let found = try await provider.credentials() else {
            throw AWSError.noCredentials("profile \(profile) has credential_source \(source), which found no credentials")
        }
        return found
    }
}
