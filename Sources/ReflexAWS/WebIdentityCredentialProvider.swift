/// A web identity from the environment, as EKS (IRSA) and other OIDC platforms set it:
/// `AWS_WEB_IDENTITY_TOKEN_FILE` and `AWS_ROLE_ARN`, optionally `AWS_ROLE_SESSION_NAME`.
/// The token file is read at every resolution, since the platform rotates it in place.
struct WebIdentityCredentialProvider: CredentialProvider {
    let environment: AWSEnvironment
    let sts: STSAccess
    var name: String { "web identity token" }

    func credentials() async throws -> AWSCredentials? {
        guard let file = environment["AWS_WEB_IDENTITY_TOKEN_FILE"] else { return nil }
        guard let arn = environment["AWS_ROLE_ARN"] else {
            throw AWSError.noCredentials("AWS_WEB_IDENTITY_TOKEN_FILE is set but AWS_ROLE_ARN is not")
        }
        let role = try RoleAssumption(configuredIn: "AWS_ROLE_ARN", roleARN: arn, sessionName: environment["AWS_ROLE_SESSION_NAME"],
                                      durationSeconds: nil)
        return try await sts.client(signedWith: nil).assumeRoleWithWebIdentity(role, tokenFile: file)
    }
}
