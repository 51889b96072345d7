import Foundation
import ReflexAWS
import ReflexHTTP
import ReflexTestSupport
import Testing

/// Roles the default chain assumes: profiles with `role_arn` (from a source profile, a
/// credential source or a web identity token) and the environment's web identity, against
/// the emulator's STS.
struct ProfileRoleTests {
    let http = CurlHTTPClient()

    /// A chain over the emulator's endpoint and region and `variables`, with config and
    /// credentials files holding `config` and `credentials`, and no keys in the environment.
    func chain(_ emulator: AWSEmulator, config: String = "", credentials: String = "", _ variables: [String: String] = [:]) throws -> CredentialChain {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("reflex-aws-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        try config.write(toFile: directory + "/config", atomically: true, encoding: .utf8)
        try credentials.write(toFile: directory + "/credentials", atomically: true, encoding: .utf8)
        let base = ["HOME": "/nonexistent", "AWS_EC2_METADATA_DISABLED": "true", "AWS_ENDPOINT_URL": emulator.endpoint.absoluteString,
                    "AWS_REGION": "us-east-1", "AWS_CONFIG_FILE": directory + "/config", "AWS_SHARED_CREDENTIALS_FILE": directory + "/credentials"]
        return CredentialChain(environment: AWSEnvironment(variables: base.merging(variables) { $1 }), http: http)
    }

    @Test func aProfileRoleIsAssumedWithItsSourceProfileRecursively() async throws {
        let emulator = try AWSEmulator.start()
        try await emulator.startRecordingRequests()
        let found = try await chain(emulator, config: """
            [profile ops]
            role_arn = arn:aws:iam::333333333333:role/ops
            source_profile = middle
            external_id = shop-ops
            role_session_name = ops-session
            duration_seconds = 1800
            [profile middle]
            role_arn = arn:aws:iam::444444444444:role/hub
            source_profile = base
            """, credentials: "[base]\naws_access_key_id = AKIDBASE\naws_secret_access_key = base-secret\n", ["AWS_PROFILE": "ops"]).credentials()
        #expect(found.source == "AssumeRole arn:aws:iam::333333333333:role/ops" && found.sessionToken != nil)

        let calls = try await emulator.recordedCalls(of: "AssumeRole", as: STSFixtures.AssumeRoleParameters.self)
        #expect(calls.allSatisfy { $0.problems.isEmpty }, "\(calls.map(\.problems))")
        #expect(calls.map(\.params.RoleArn) == ["arn:aws:iam::444444444444:role/hub", "arn:aws:iam::333333333333:role/ops"])
        #expect(calls.last.map { ($0.params.ExternalId, $0.params.RoleSessionName, $0.params.DurationSeconds) }
                    .map { $0 == ("shop-ops", "ops-session", 1800) } == true)
        #expect(calls.first?.params.RoleSessionName == RoleAssumption.defaultSessionName)

        // The credentials act in the role's account.
        let ops = try chain(emulator, config: "[profile ops]\nrole_arn = arn:aws:iam::333333333333:role/ops\nsource_profile = base\n",
                            credentials: "[base]\naws_access_key_id = AKIDBASE\naws_secret_access_key = s\n", ["AWS_PROFILE": "ops"])
        let dynamo = STSFixtures.dynamoDB(emulator, credentials: ops)
        try await STSFixtures.createTable("ops-only", readCapacity: 1, through: dynamo)
        #expect(try await STSFixtures.tables(through: emulator.client(.dynamoDB)).contains("ops-only") == false)
        #expect(try await STSFixtures.tables(through: dynamo) == ["ops-only"])
    }

    @Test func aSourceProfileCycleIsAClearError() async throws {
        let emulator = try AWSEmulator.start()
        let cyclic = try chain(emulator, config: """
            [profile a]
            role_arn = arn:aws:iam::111111111111:role/a
            source_profile = b
            [profile b]
            role_arn = arn:aws:iam::222222222222:role/b
            source_profile = a
            """, ["AWS_PROFILE": "a"])
        await #expect { try await cyclic.credentials() } throws: { "\($0)" == "no AWS credentials: source_profile cycle: a -> b -> a" }
        #expect(try await emulator.calls()["AssumeRole"] == nil)
    }

    @Test func badRoleProfilesAreClearErrors() async throws {
        let emulator = try AWSEmulator.start()
        let cases: [(String, String)] = [
            ("role_arn = arn:aws:iam::111111111111:user/me\nsource_profile = base",
             "profile p: arn:aws:iam::111111111111:user/me is not an IAM role ARN (arn:PARTITION:iam::ACCOUNT_ID:role/NAME)"),
            ("role_arn = arn:aws:iam::111111111111:role/r", "profile p has role_arn but no source_profile, credential_source or web_identity_token_file"),
            ("role_arn = arn:aws:iam::111111111111:role/r\nsource_profile = nowhere", "profile p names source_profile nowhere, which does not exist"),
            ("role_arn = arn:aws:iam::111111111111:role/r\ncredential_source = Somewhere",
             "profile p has credential_source Somewhere; it takes Environment, EcsContainer or Ec2InstanceMetadata"),
            ("role_arn = arn:aws:iam::111111111111:role/r\nsource_profile = base\nduration_seconds = 1h",
             "profile p: duration_seconds 1h is not a whole number of seconds"),
        ]
        for (profile, message) in cases {
            let broken = try chain(emulator, config: "[profile p]\n\(profile)\n[profile base]\naws_access_key_id = K\naws_secret_access_key = S\n",
                                   ["AWS_PROFILE": "p"])
            await #expect { try await broken.credentials() } throws: { "\($0)" == "no AWS credentials: " + message }
        }
    }

    @Test func aProfileRoleCanStartFromTheContainerCredentials() async throws {
        let emulator = try AWSEmulator.start()
        let found = try await chain(emulator, config: "[profile p]\nrole_arn = arn:aws:iam::555555555555:role/r\ncredential_source = EcsContainer\n", [
            "AWS_PROFILE": "p", "AWS_CONTAINER_CREDENTIALS_FULL_URI": emulator.endpoint.absoluteString + "/_reflex/container-credentials",
            "AWS_CONTAINER_AUTHORIZATION_TOKEN": "container-token",
        ]).credentials()
        #expect(found.source == "AssumeRole arn:aws:iam::555555555555:role/r")
    }

    @Test func theEnvironmentsWebIdentityComesAfterItsKeysAndBeforeTheProfile() async throws {
        let emulator = try AWSEmulator.start()
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("reflex-token-\(UUID().uuidString)").path
        try "oidc-token".write(toFile: file, atomically: true, encoding: .utf8)
        let webIdentity = ["AWS_WEB_IDENTITY_TOKEN_FILE": file, "AWS_ROLE_ARN": "arn:aws:iam::666666666666:role/irsa",
                           "AWS_ROLE_SESSION_NAME": "pod-1"]
        let staticProfile = "[default]\naws_access_key_id = AKIDPROFILE\naws_secret_access_key = s\n"
        try await emulator.startRecordingRequests()
        let found = try await chain(emulator, credentials: staticProfile, webIdentity).credentials()
        #expect(found.source == "AssumeRoleWithWebIdentity arn:aws:iam::666666666666:role/irsa")
        let calls = try await emulator.recordedCalls(of: "AssumeRoleWithWebIdentity", as: STSFixtures.AssumeRoleParameters.self)
        #expect(calls.map(\.params.RoleSessionName) == ["pod-1"] && calls.allSatisfy { $0.problems.isEmpty }, "\(calls.map(\.problems))")

        let keys = try await chain(emulator, credentials: staticProfile,
                                   webIdentity.merging(["AWS_ACCESS_KEY_ID": "AKIDENV", "AWS_SECRET_ACCESS_KEY": "s"]) { $1 }).credentials()
        #expect(keys.source == "environment")
        await #expect {
            try await chain(emulator, ["AWS_WEB_IDENTITY_TOKEN_FILE": file]).credentials()
        } throws: { "\($0)" == "no AWS credentials: AWS_WEB_IDENTITY_TOKEN_FILE is set but AWS_ROLE_ARN is not" }
    }

    @Test func aProfileWithAWebIdentityTokenFileAssumesItsRole() async throws {
        let emulator = try AWSEmulator.start()
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("reflex-token-\(UUID().uuidString)").path
        try "oidc-token".write(toFile: file, atomically: true, encoding: .utf8)
        let found = try await chain(emulator, config: "[default]\nrole_arn = arn:aws:iam::777777777777:role/r\nweb_identity_token_file = \(file)\n").credentials()
        #expect(found.source == "AssumeRoleWithWebIdentity arn:aws:iam::777777777777:role/r")
    }
}
