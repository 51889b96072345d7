import Foundation
import ReflexAWS
import ReflexTestSupport
import Testing

/// Signatures checked by the emulator's IAM: the right secret passes, a wrong one does not.
struct SigningIntegrationTests {
    struct Empty: Codable, Sendable {}
    struct ListInput: Encodable, Sendable { let familyPrefix: String }
    struct ListOutput: Decodable, Sendable { let taskDefinitionArns: [String]? }

    @Test func theRightSecretIsAccepted() async throws {
        let client = Emulators.authenticated.client(.ecs)
        let result = try await client.call("ListTaskDefinitions", ListInput(familyPrefix: "none"), as: ListOutput.self)
        #expect(result.output.taskDefinitionArns == [])
    }

    @Test func aWrongSecretFailsWithSignatureDoesNotMatchAndIsNotRetried() async throws {
        let client = Emulators.authenticated.client(.ecs, secret: "not-the-secret")
        await #expect {
            _ = try await client.call("ListTaskDefinitions", ListInput(familyPrefix: "none"), as: ListOutput.self)
        } throws: { error in
            guard let error = error as? AWSError, case let .service(code, _, status, _) = error else { return false }
            return code == "SignatureDoesNotMatch" && status == 403
        }
        #expect(!RetryPolicy.isRetryable(.service(code: "SignatureDoesNotMatch", message: "", status: 403, requestID: nil)))
    }

    @Test func cloudWatchAndDynamoDBAreSignedForTheirOwnServiceNames() async throws {
        let dynamo = DynamoDBClient(client: Emulators.authenticated.client(.dynamoDB))
        await #expect {
            _ = try await dynamo.describeTable("no-such-table")
        } throws: { ($0 as? AWSError)?.code == "ResourceNotFoundException" }
        let metrics = CloudWatchMetricsSource(client: Emulators.authenticated.client(.cloudWatch))
        let query = MetricQueryFixtures.query("signed", period: 60)
        let results = await metrics.fetch([query], from: Date().addingTimeInterval(-600), to: Date())
        guard case .success? = results[query] else { Issue.record("GetMetricData failed: \(String(describing: results[query]))"); return }
    }
}
