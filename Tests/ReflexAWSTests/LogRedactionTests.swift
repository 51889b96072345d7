import Foundation
import Logging
import ReflexAWS
import ReflexHTTP
import ReflexTestSupport
import Testing

/// Every attempt is logged; no credential, session token or signature ever is.
struct LogRedactionTests {
    @Test func attemptsAreLoggedWithoutSecrets() async throws {
        let emulator = try AWSEmulator.start()
        let capture = LogCapture()
        let logger = capture.logger("reflex.aws")
        try await emulator.inject([.init(target: "DescribeTable", status: 400, code: "ThrottlingException", count: 1)])
        let dynamo = DynamoDBClient(client: emulator.client(.dynamoDB, logger: logger))
        _ = try? await dynamo.describeTable("missing-table")
        let text = capture.text
        #expect(text.contains("aws call retried"))
        #expect(text.contains("ThrottlingException"))
        #expect(text.contains("aws call failed"))
        #expect(text.contains("ResourceNotFoundException"))
        for secret in [emulator.secretAccessKey, "Signature=", "AWS4-HMAC-SHA256", "Credential="] {
            #expect(!text.contains(secret), "log contains \(secret)")
        }
    }

    @Test func temporaryCredentialsNeverReachErrorsOrLogs() async throws {
        let capture = LogCapture()
        let logger = capture.logger("reflex.aws")
        let endpoint = Emulators.shared.endpoint
        let http = CurlHTTPClient()
        let chain = CredentialChain(environment: AWSEnvironment(variables: [
            "HOME": "/nonexistent", "AWS_CONTAINER_CREDENTIALS_FULL_URI": endpoint.absoluteString + "/_reflex/container-credentials",
            "AWS_CONTAINER_AUTHORIZATION_TOKEN": "container-token",
        ]), http: http)
        let client = AWSClient(service: .ecs, region: "us-east-1", endpoint: endpoint, http: http, credentials: chain,
                               retry: RetryPolicy(baseDelay: .milliseconds(1)), logger: logger)
        var errorText = ""
        do {
            _ = try await ECSClient(client: client).describeService(cluster: "none", service: "none")
        } catch {
            errorText = "\(error)"
        }
        for secret in ["temporary-secret", "temporary-session-token", "container-token"] {
            #expect(!capture.text.contains(secret) && !errorText.contains(secret), "\(secret) leaked")
        }
        #expect(!capture.text.isEmpty)
    }
}
