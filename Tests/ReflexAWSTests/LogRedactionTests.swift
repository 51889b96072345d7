import Foundation
import Logging
import ReflexAWS
import ReflexHTTP
import ReflexTestSupport
import Testing

/// Every attempt is logged; no credential, session token or signature ever is.
struct LogRedactionTests {
    final class Capture: @unchecked Sendable {
        private let lock = NSLock()
        private var lines: [String] = []
        func append(_ line: String) { lock.withLock { lines.append(line) } }
        var text: String { lock.withLock { lines.joined(separator: "\n") } }
    }

    struct CapturingHandler: LogHandler {
        let capture: Capture
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .trace
        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }
        func log(event: LogEvent) {
            capture.append("\(event.level) \(event.message) \(metadata.merging(event.metadata ?? [:]) { $1 })")
        }
    }

    @Test func attemptsAreLoggedWithoutSecrets() async throws {
        let emulator = try AWSEmulator.start()
        let capture = Capture()
        let logger = Logger(label: "reflex.aws") { _ in CapturingHandler(capture: capture) }
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
        let capture = Capture()
        let logger = Logger(label: "reflex.aws") { _ in CapturingHandler(capture: capture) }
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
