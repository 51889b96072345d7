import Foundation
import ReflexAWS
import ReflexTestSupport
import Testing

/// When assumed-role credentials are fetched again: not before five minutes ahead of their
/// expiry, once however many callers wait, and for a web identity with the token file read
/// anew each time. The emulator issues credentials lasting the requested duration from its
/// own (real) clock; the tests move the client's clock.
struct AssumedRoleRefreshTests {
    let role = try! RoleAssumption(roleARN: "arn:aws:iam::111111111111:role/reflex", durationSeconds: 900)

    @Test func credentialsAreKeptUntilFiveMinutesBeforeExpiryThenRefreshedOnce() async throws {
        let emulator = try AWSEmulator.start()
        let clock = ManualClock()
        let assumed = AssumedRoleCredentials(role: role, sts: STSFixtures.sts(emulator), now: clock.read)
        let first = try await assumed.credentials()
        let expiry = try #require(first.expiration)
        #expect(abs(expiry.timeIntervalSinceNow - 900) < 30, "the requested 15 minutes")
        // The client's clock starts where the credentials were issued, however long the call took.
        clock.set(expiry.addingTimeInterval(-900))

        clock.advance(by: 9 * 60) // six minutes left: kept
        #expect(try await assumed.credentials() == first)
        #expect(try await emulator.calls()["AssumeRole"] == 1)

        clock.advance(by: 90) // four and a half minutes left: refreshed
        let second = try await assumed.credentials()
        #expect(second.accessKeyID != first.accessKeyID)
        #expect(try await emulator.calls()["AssumeRole"] == 2)

        // Twenty callers arriving while a slow refresh is under way share it.
        clock.advance(by: 20 * 60)
        try await emulator.inject([.init(target: "AssumeRole", delay: 0.5, count: 1)])
        let keys = try await withThrowingTaskGroup(of: String.self) { group in
            for _ in 0..<20 { group.addTask { try await assumed.credentials().accessKeyID } }
            return try await group.reduce(into: Set<String>()) { $0.insert($1) }
        }
        #expect(keys.count == 1 && !keys.contains(second.accessKeyID))
        #expect(try await emulator.calls()["AssumeRole"] == 3)
    }

    @Test func aFailedRefreshIsTriedAgainByTheNextCaller() async throws {
        let emulator = try AWSEmulator.start()
        try await emulator.inject([.init(target: "AssumeRole", status: 403, code: "AccessDenied", count: 1)])
        let assumed = AssumedRoleCredentials(role: role, sts: STSFixtures.sts(emulator))
        await #expect(throws: AWSError.self) { try await assumed.credentials() }
        #expect(try await assumed.credentials().accessKeyID.hasPrefix("ASIA"))
        #expect(try await emulator.calls()["AssumeRole"] == 2)
    }

    @Test func aWebIdentityTokenFileIsReadAtEveryRefresh() async throws {
        let emulator = try AWSEmulator.start()
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("reflex-token-\(UUID().uuidString)").path
        try "first-oidc-token\n".write(toFile: file, atomically: true, encoding: .utf8)
        let clock = ManualClock()
        let assumed = AssumedRoleCredentials(role: role, webIdentityTokenFile: file, sts: STSFixtures.sts(emulator), now: clock.read)
        try await emulator.startRecordingRequests()

        let first = try await assumed.credentials()
        clock.set(try #require(first.expiration).addingTimeInterval(-900))
        try "second-oidc-token".write(toFile: file, atomically: true, encoding: .utf8)
        #expect(try await assumed.credentials() == first) // not yet due: the file is not read
        clock.advance(by: 11 * 60)
        #expect(try await assumed.credentials() != first)

        let calls = try await emulator.recordedCalls(of: "AssumeRoleWithWebIdentity", as: STSFixtures.AssumeRoleParameters.self)
        #expect(calls.map(\.params.WebIdentityToken) == ["first-oidc-token", "second-oidc-token"])
        #expect(calls.allSatisfy { $0.problems.isEmpty }, "\(calls.map(\.problems))")
        #expect(calls.allSatisfy { $0.params.RoleArn == role.roleARN && $0.params.DurationSeconds == 900 })

        // A file gone at refresh time fails that refresh, naming the file and not the token.
        try FileManager.default.removeItem(atPath: file)
        clock.advance(by: 11 * 60)
        await #expect {
            _ = try await assumed.credentials()
        } throws: { error in
            "\(error)".contains(file) && "\(error)".contains(role.roleARN) && !"\(error)".contains("oidc-token")
        }
        #expect(try await emulator.calls()["AssumeRoleWithWebIdentity"] == 2)
    }
}
