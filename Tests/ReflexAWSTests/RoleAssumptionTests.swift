import ReflexAWS
import Testing

/// Which roles can be assumed as written, and the account a role belongs to.
struct RoleAssumptionTests {
    @Test func aRoleARNGivesItsAccount() throws {
        #expect(try RoleAssumption(roleARN: "arn:aws:iam::111111111111:role/reflex").accountID == "111111111111")
        let china = try RoleAssumption(roleARN: "arn:aws-cn:iam::222222222222:role/path/to/reflex", externalID: "x1",
                                       sessionName: "s@host", durationSeconds: 900)
        #expect(china.accountID == "222222222222" && china.durationSeconds == 900 && china.externalID == "x1")
        #expect(try RoleAssumption(roleARN: "arn:aws:iam::111111111111:role/reflex").durationSeconds == 3600)
    }

    @Test(arguments: [
        "arn:aws:iam::111111111111:user/reflex", "arn:aws:iam::11111111111:role/reflex", "arn:aws:iam::111111111111:role/",
        "arn:aws:iam:us-east-1:111111111111:role/reflex", "arn:aws:sts::111111111111:role/reflex", "arn::iam::111111111111:role/r",
        "arn:aws:iam::1111111111a1:role/reflex", "reflex", "",
    ])
    func anythingButARoleARNIsRefused(_ arn: String) {
        #expect {
            _ = try RoleAssumption(roleARN: arn)
        } throws: { "\($0)" == "\(arn) is not an IAM role ARN (arn:PARTITION:iam::ACCOUNT_ID:role/NAME)" }
    }

    @Test func sessionNamesDurationsAndExternalIDsAreThoseSTSTakes() {
        let arn = "arn:aws:iam::111111111111:role/reflex"
        #expect(throws: RoleAssumptionError.self) { try RoleAssumption(roleARN: arn, sessionName: "has space") }
        #expect(throws: RoleAssumptionError.self) { try RoleAssumption(roleARN: arn, sessionName: String(repeating: "a", count: 65)) }
        #expect(throws: RoleAssumptionError.self) { try RoleAssumption(roleARN: arn, durationSeconds: 899) }
        #expect(throws: RoleAssumptionError.self) { try RoleAssumption(roleARN: arn, durationSeconds: 43_201) }
        #expect(throws: RoleAssumptionError.self) { try RoleAssumption(roleARN: arn, externalID: "x") }
        let name = RoleAssumption.defaultSessionName
        #expect(name.hasPrefix("reflex-") && name.count <= 64)
        #expect((try? RoleAssumption(roleARN: arn)) != nil)
    }
}
