import Foundation

/// The STS calls that turn one identity into another: AssumeRole, signed with the client's
/// credentials, and AssumeRoleWithWebIdentity, which AWS takes unsigned (the token is the
/// proof of identity).
public struct STSClient: Sendable {
    let client: AWSClient

    /// STS through `client`; AssumeRole signs with the client's credentials.
    public init(client: AWSClient) {
        precondition(client.service == .sts, "STSClient needs an STS client")
        self.client = client
    }

    /// Temporary credentials of `role`. An STS refusal (AccessDenied, ...) is an
    /// `AWSError.service` with STS's code, its message prefixed with the role.
    public func assumeRole(_ role: RoleAssumption) async throws -> AWSCredentials {
        var parameters: [(name: String, value: String)] = [
            ("RoleArn", role.roleARN), ("RoleSessionName", role.sessionName), ("DurationSeconds", "\(role.durationSeconds)"),
        ]
        if let externalID = role.externalID { parameters.append(("ExternalId", externalID)) }
        return try await credentials("AssumeRole", parameters, roleARN: role.roleARN, signed: true)
    }

    /// Temporary credentials of `roleARN` for the holder of the web identity `token` (an OIDC
    /// token such as an EKS service account's). Sent unsigned, as AWS expects.
    public func assumeRoleWithWebIdentity(roleARN: String, sessionName: String, token: String, durationSeconds: Int = 3600)
        async throws -> AWSCredentials {
        try await credentials("AssumeRoleWithWebIdentity",
                              [("RoleArn", roleARN), ("RoleSessionName", sessionName), ("WebIdentityToken", token),
                               ("DurationSeconds", "\(durationSeconds)")],
                              roleARN: roleARN, signed: false)
    }

    /// Calls `action` and reads `<ActionResult><Credentials>` from the answer.
    private func credentials(_ action: String, _ parameters: [(name: String, value: String)], roleARN: String, signed: Bool)
        async throws -> AWSCredentials {
        let reply: XMLTree
        do {
            reply = try await client.callQuery(action, parameters, signed: signed).output
        } catch let AWSError.service(code, message, status, requestID) {
            // AWS's own message names the role only sometimes; the operator needs it always.
            throw AWSError.service(code: code, message: "\(action) \(roleARN)" + (message.isEmpty ? "" : ": \(message)"),
                                   status: status, requestID: requestID)
        }
        let source = "\(action) \(roleARN)"
        guard let found = reply.element("\(action)Result", "Credentials"),
              let key = found.child("AccessKeyId")?.text, !key.isEmpty,
              let secret = found.child("SecretAccessKey")?.text, !secret.isEmpty else {
            throw AWSError.invalidResponse("\(source): no Credentials with AccessKeyId and SecretAccessKey in the answer")
        }
        let credentials = TemporaryCredentialDocument(AccessKeyId: key, SecretAccessKey: secret, Token: found.child("SessionToken")?.text,
                                                      Expiration: found.child("Expiration")?.text).credentials(source: source)
        // Without an expiry the credentials would be kept past it, and every call then refused.
        guard credentials.expiration != nil else {
            throw AWSError.invalidResponse("\(source): the Credentials have no readable Expiration")
        }
        return credentials
    }
}
