import Foundation
import ReflexAWS
import ReflexHTTP
import ReflexTestSupport
import Testing

struct CredentialChainTests {
    let http = CurlHTTPClient()

    func chain(_ variables: [String: String]) -> CredentialChain {
        // A HOME without ~/.aws, so the machine's own files never leak into a test.
        CredentialChain(environment: AWSEnvironment(variables: ["HOME": "/nonexistent", "AWS_EC2_METADATA_DISABLED": "true"].merging(variables) { $1 }),
                        http: http)
    }

    func files(config: String, credentials: String) throws -> [String: String] {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("reflex-aws-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        try config.write(toFile: directory + "/config", atomically: true, encoding: .utf8)
        try credentials.write(toFile: directory + "/credentials", atomically: true, encoding: .utf8)
        return ["AWS_CONFIG_FILE": directory + "/config", "AWS_SHARED_CREDENTIALS_FILE": directory + "/credentials"]
    }

    @Test func environmentComesFirst() async throws {
        let found = try await chain(["AWS_ACCESS_KEY_ID": "AKIDENV", "AWS_SECRET_ACCESS_KEY": "s", "AWS_SESSION_TOKEN": "t"]).credentials()
        #expect(found.accessKeyID == "AKIDENV" && found.sessionToken == "t" && found.source == "environment")
    }

    @Test func theNamedProfileIsReadFromBothFilesAndTheCredentialsFileWins() async throws {
        let paths = try files(
            config: "[default]\nregion = eu-west-1\n[profile ops]\nregion = us-west-2\naws_access_key_id = FROMCONFIG\naws_secret_access_key = c\n",
            credentials: "[ops]\naws_access_key_id = FROMCREDENTIALS\naws_secret_access_key = k\n[profile ops]\naws_access_key_id = WRONG\n")
        let found = try await chain(paths.merging(["AWS_PROFILE": "ops"]) { $1 }).credentials()
        #expect(found.accessKeyID == "FROMCREDENTIALS" && found.source == "profile ops")
        let environment = AWSEnvironment(variables: paths.merging(["AWS_PROFILE": "ops"]) { $1 })
        #expect(environment.region(configured: nil) == "us-west-2")
        #expect(environment.region(configured: "ap-south-1") == "ap-south-1")
        #expect(AWSEnvironment(variables: paths.merging(["AWS_REGION": "ca-central-1"]) { $1 }).region(configured: nil) == "ca-central-1")
    }

    @Test func containerCredentialsUseTheAuthorizationToken() async throws {
        let endpoint = Emulators.shared.endpoint.absoluteString + "/_reflex/container-credentials"
        let found = try await chain(["AWS_CONTAINER_CREDENTIALS_FULL_URI": endpoint, "AWS_CONTAINER_AUTHORIZATION_TOKEN": "container-token"]).credentials()
        #expect(found.accessKeyID == "ASIATEMPORARY" && found.sessionToken == "temporary-session-token")
        #expect(found.expiration == Date(timeIntervalSince1970: 4_070_908_800))
        await #expect(throws: AWSError.self) {
            try await chain(["AWS_CONTAINER_CREDENTIALS_FULL_URI": endpoint, "AWS_CONTAINER_AUTHORIZATION_TOKEN": "wrong"]).credentials()
        }
    }

    @Test func instanceMetadataUsesAnIMDSv2Session() async throws {
        let found = try await CredentialChain(environment: AWSEnvironment(variables: [
            "HOME": "/nonexistent", "AWS_EC2_METADATA_SERVICE_ENDPOINT": Emulators.shared.endpoint.absoluteString,
        ]), http: http).credentials()
        #expect(found.accessKeyID == "ASIATEMPORARY" && found.source == "instance metadata")
    }

    @Test func findingNothingIsAClearError() async throws {
        await #expect {
            try await chain([:]).credentials()
        } throws: { error in
            "\(error)" == "no AWS credentials: none found in environment, web identity token, profile default, container credentials, instance metadata"
        }
    }

    @Test func endpointsFollowTheSDKOverrides() {
        let environment = AWSEnvironment(variables: ["AWS_ENDPOINT_URL": "http://127.0.0.1:5000", "AWS_ENDPOINT_URL_DYNAMODB": "http://127.0.0.1:8000"])
        #expect(environment.endpoint(for: .dynamoDB, region: "us-east-1")?.absoluteString == "http://127.0.0.1:8000")
        #expect(environment.endpoint(for: .ecs, region: "us-east-1")?.absoluteString == "http://127.0.0.1:5000")
        #expect(AWSEnvironment(variables: [:]).endpoint(for: .cloudWatch, region: "eu-west-1")?.absoluteString == "https://monitoring.eu-west-1.amazonaws.com")
        #expect(AWSEnvironment(variables: [:]).endpoint(for: .sts, region: "eu-west-1")?.absoluteString == "https://sts.eu-west-1.amazonaws.com")
        #expect(AWSEnvironment(variables: ["AWS_ENDPOINT_URL": "http://127.0.0.1:5000", "AWS_ENDPOINT_URL_STS": "http://127.0.0.1:7000"])
                    .endpoint(for: .sts, region: "us-east-1")?.absoluteString == "http://127.0.0.1:7000")
        #expect(environment.endpoint(for: .sts, region: "us-east-1")?.absoluteString == "http://127.0.0.1:5000")
    }
}
