import Foundation
import Logging
import ReflexAWS
import ReflexTestSupport
import Testing

/// Roles assumed through the emulator's STS: the credentials act in the role's account, the
/// requests are what botocore would send, and a refusal names the role without leaking the
/// base identity's secrets. Each test has an emulator of its own, for its recording.
struct AssumeRoleTests {
    @Test func twoRolesActEachInItsOwnAccountAndRegion() async throws {
        let emulator = try AWSEmulator.start()
        let base = try STSFixtures.services(emulator)
        try await emulator.startRecordingRequests()
        let first = try base.assuming(try RoleAssumption(roleARN: "arn:aws:iam::111111111111:role/reflex", externalID: "shop-1",
                                                         sessionName: "reflex-test"), region: "us-east-1")
        let second = try base.assuming(try RoleAssumption(roleARN: "arn:aws:iam::222222222222:role/ops/reflex"), region: "eu-west-1")
        #expect(first.region == "us-east-1" && second.region == "eu-west-1")

        // The same name in both accounts: were they one account, the second would be refused.
        try await STSFixtures.createTable("cart", readCapacity: 5, through: STSFixtures.dynamoDB(emulator, credentials: first.credentials))
        try await STSFixtures.createTable("cart", readCapacity: 7,
                                          through: STSFixtures.dynamoDB(emulator, region: "eu-west-1", credentials: second.credentials))
        #expect(try await first.dynamoDB.describeTable("cart").readCapacity == 5)
        #expect(try await second.dynamoDB.describeTable("cart").readCapacity == 7)
        // The base account has no table.
        #expect(try await STSFixtures.tables(through: STSFixtures.dynamoDB(emulator, credentials: base.credentials)) == [])

        // One AssumeRole per role however many calls, each a valid call by botocore's model.
        let recorded = try await emulator.recordedRequests()
        #expect(recorded.allSatisfy { $0.problems.isEmpty }, "\(recorded)")
        let calls = try await emulator.recordedCalls(of: "AssumeRole", as: STSFixtures.AssumeRoleParameters.self).map(\.params)
        #expect(calls.count == 2)
        #expect(calls.first { $0.RoleArn.contains("111111111111") }.map { ($0.ExternalId, $0.RoleSessionName, $0.DurationSeconds) }
                    .map { $0 == ("shop-1", "reflex-test", 3600) } == true)
        let defaulted = calls.first { $0.RoleArn.contains("222222222222") }
        #expect(defaulted?.ExternalId == nil)
        #expect(defaulted?.RoleSessionName == RoleAssumption.defaultSessionName)
        #expect(RoleAssumption.defaultSessionName.hasPrefix("reflex-"))
    }

    @Test func anotherRegionKeepsTheIdentity() async throws {
        let emulator = try AWSEmulator.start()
        let role = try STSFixtures.services(emulator).assuming(try RoleAssumption(roleARN: "arn:aws:iam::111111111111:role/reflex"),
                                                                region: "us-east-1")
        let west = try role.inRegion("us-west-2")
        #expect(west.region == "us-west-2" && west.cloudWatch.region == "us-west-2")
        #expect(try await west.credentials.credentials() == (try await role.credentials.credentials()))
        #expect(try await emulator.calls()["AssumeRole"] == 1)
    }

    @Test func accessDeniedNamesTheRoleAndTheCodeButNoSecret() async throws {
        let emulator = try AWSEmulator.start()
        let capture = LogCapture()
        let base = try STSFixtures.services(emulator, logger: capture.logger("reflex.aws"))
        try await emulator.inject([.init(target: "AssumeRole", status: 403, code: "AccessDenied", count: 1)])
        let arn = "arn:aws:iam::111111111111:role/not-trusted"
        let services = try base.assuming(try RoleAssumption(roleARN: arn), region: "us-east-1")
        var description = ""
        do {
            _ = try await services.dynamoDB.describeTable("cart")
            Issue.record("a refused role made a call")
        } catch let error as AWSError {
            #expect(error.code == "AccessDenied")
            description = "\(error)"
        }
        #expect(description.contains(arn) && description.contains("AccessDenied"), "\(description)")
        for secret in [STSFixtures.baseSecret, STSFixtures.baseSessionToken] {
            #expect(!description.contains(secret) && !capture.text.contains(secret), "\(secret) leaked")
        }
        // Refused once, not retried: AccessDenied would be refused again.
        #expect(try await emulator.calls()["AssumeRole"] == 1)
    }

    @Test func assumedCredentialsNeverReachTheLogs() async throws {
        let emulator = try AWSEmulator.start()
        let capture = LogCapture()
        let base = try STSFixtures.services(emulator, logger: capture.logger("reflex.aws"))
        let services = try base.assuming(try RoleAssumption(roleARN: "arn:aws:iam::111111111111:role/reflex"), region: "us-east-1")
        _ = try? await services.dynamoDB.describeTable("missing")
        let assumed = try await services.credentials.credentials()
        #expect(capture.text.contains("AssumeRole") && capture.text.contains("ResourceNotFoundException"), "\(capture.text)")
        for secret in [assumed.secretAccessKey, assumed.sessionToken ?? "no token", STSFixtures.baseSecret, STSFixtures.baseSessionToken] {
            #expect(!capture.text.contains(secret), "\(secret) leaked")
        }
        #expect(!"\(assumed)".contains(assumed.secretAccessKey) && assumed.sessionToken != nil)
    }
}
