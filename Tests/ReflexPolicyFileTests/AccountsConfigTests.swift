import ReflexCore
import ReflexPolicyFile
import Testing

/// `accounts:` in the config and `account(s)` / `region(s)` in policies: each account is known
/// by the id in its role's ARN, and a policy naming an account or region the config does not
/// define is refused at the name, with the names there are.
struct AccountsConfigTests {
    static let config = """
        region: us-east-1
        accounts:
          prod:    { role_arn: "arn:aws:iam::111111111111:role/reflex", regions: [us-east-1, eu-west-1] }
          staging: { role_arn: "arn:aws:iam::222222222222:role/reflex", external_id_file: staging.id, duration: 2h }

        """

    func error(_ text: String) -> String? {
        do {
            _ = try ConfigParser.parse(text, file: "/etc/reflex/reflex.yaml")
            return nil
        } catch {
            return error.description
        }
    }

    @Test func accountsAreReadWithTheirIDsAndFiles() throws {
        let config = try ConfigParser.parse(Self.config, file: "/etc/reflex/reflex.yaml")
        #expect(config.accounts.map(\.name) == ["prod", "staging"])
        #expect(config.accounts.map(\.id) == ["111111111111", "222222222222"])
        #expect(config.accounts[0].regions == ["us-east-1", "eu-west-1"])
        #expect(config.accounts[1].externalIDFile == "/etc/reflex/staging.id")
        #expect(config.accounts[1].duration == .hours(2))
        #expect(config.account(id: "222222222222")?.name == "staging")
    }

    @Test func badAccountsAreRefusedWhereTheyAreWritten() {
        #expect(error("accounts:\n  prod: { role_arn: \"arn:aws:iam::1111:role/reflex\" }\n")
            == "/etc/reflex/reflex.yaml:2:21: account 'prod': 'role_arn' must be an IAM role ARN, arn:aws:iam::ACCOUNT_ID:role/NAME, "
            + "found 'arn:aws:iam::1111:role/reflex'")
        #expect(error("accounts:\n  prod: { role_arn: \"arn:aws:iam::111111111111:user/reflex\" }\n")?.contains("must be an IAM role ARN") == true)
        // The config and STS read role ARNs alike: a path without a name is no role.
        #expect(error("accounts:\n  prod: { role_arn: \"arn:aws:iam::111111111111:role/path/\" }\n")?.contains("must be an IAM role ARN") == true)
        #expect(error("accounts:\n  a: { role_arn: \"arn:aws:iam::111111111111:role/x\" }\n  b: { role_arn: \"arn:aws:iam::111111111111:role/y\" }\n")
            == "/etc/reflex/reflex.yaml:3:18: account 'b': account 111111111111 is already configured as 'a'; one role per account")
        #expect(error("accounts:\n  a: { role_arn: \"arn:aws:iam::111111111111:role/x\", regions: [us-east-1, mars] }\n")?
            .contains("'regions': 'mars' is not a region name") == true)
        #expect(error("accounts:\n  a: { role_arn: \"arn:aws:iam::111111111111:role/x\", duration: 5m }\n")?
            .contains("'duration' must be between 15m and 12h") == true)
        #expect(error("accounts:\n  a: { role_arn: \"arn:aws:iam::111111111111:role/x\", external_id: e, external_id_file: f }\n")?
            .contains("give 'external_id' or 'external_id_file', not both") == true)
        #expect(error("accounts:\n  a: { role: \"arn:aws:iam::111111111111:role/x\" }\n")?.contains("role") == true)
        #expect(error("region: us_east_1\n") == "/etc/reflex/reflex.yaml:1:9: 'region': 'us_east_1' is not a region name (like us-east-1)")
    }

    @Test func anAccountChangeNeedsARestart() throws {
        let before = try ConfigParser.parse(Self.config, file: "/etc/reflex/reflex.yaml")
        let after = try ConfigParser.parse(Self.config.replacingOccurrences(of: "duration: 2h", with: "duration: 3h"), file: "/etc/reflex/reflex.yaml")
        #expect(before.settingsNeedingRestart(in: after) == ["accounts"])
        #expect(before.settingsNeedingRestart(in: before).isEmpty)
    }

    static func policy(_ scoping: String) -> String {
        """
        policies:
          - name: p
            metrics:
              throttles: { namespace: AWS/DynamoDB, metric: ThrottledRequests, dimensions: { TableName: cart }, stat: Sum, period: 1m }
            condition: throttles > 1
            target: { dynamodb_table: { name: cart } }
        \(scoping)
        """
    }

    func scopes(_ scoping: String, accounts: [DaemonConfig.Account]?) throws -> [Scope] {
        let parsed = PolicyParser.parse(Self.policy(scoping), file: "p.yaml", context: ScopeContext(accounts: accounts, homeRegion: "us-east-1"))
        return try #require(parsed.policies.first?.policy.scopes, "\(parsed.errors)")
    }

    @Test func aPolicyCoversEachAccountInItsRegionsOrTheAccountsOrTheDaemons() throws {
        let accounts = try ConfigParser.parse(Self.config, file: "/etc/reflex/reflex.yaml").accounts
        #expect(try scopes("", accounts: accounts) == [.home])
        // The daemon's own region (us-east-1 here) is written as the daemon's: one id per table.
        #expect(try scopes("    account: prod", accounts: accounts)
            == [Scope(accountID: "111111111111"), Scope(accountID: "111111111111", region: "eu-west-1")])
        #expect(try scopes("    regions: [us-east-1, eu-west-1]", accounts: accounts) == [.home, Scope(region: "eu-west-1")])
        #expect(try scopes("    region: us-east-1", accounts: accounts) == [.home])
        #expect(try scopes("    accounts: [prod, staging]\n    region: eu-west-1", accounts: accounts)
            == [Scope(accountID: "111111111111", region: "eu-west-1"), Scope(accountID: "222222222222", region: "eu-west-1")])
        #expect(try scopes("    account: staging", accounts: accounts) == [Scope(accountID: "222222222222")])
        #expect(try scopes("    regions: [eu-west-1, ap-southeast-2]", accounts: nil)
            == [Scope(region: "eu-west-1"), Scope(region: "ap-southeast-2")])
    }

    @Test func anAccountThePolicyNamesMustBeConfigured() throws {
        let accounts = try ConfigParser.parse(Self.config, file: "/etc/reflex/reflex.yaml").accounts
        func errors(_ scoping: String, accounts: [DaemonConfig.Account]?) -> [String] {
            PolicyParser.parse(Self.policy(scoping), file: "p.yaml", context: ScopeContext(accounts: accounts, homeRegion: "us-east-1")).errors.map(\.description)
        }
        #expect(errors("    accounts: [prod, prd]", accounts: accounts)
            == ["p.yaml:7:22: policy 'p': account 'prd' is not configured; did you mean 'prod'?; the config's accounts: prod, staging"])
        #expect(errors("    account: prod", accounts: [])
            == ["p.yaml:7:14: policy 'p': account 'prod' is not configured; the config defines no 'accounts'"])
        #expect(errors("    account: prod", accounts: nil)
            == ["p.yaml:7:14: policy 'p': account 'prod' is defined in the daemon config, which was not given: check with --config FILE"])
        #expect(errors("    account: prod\n    accounts: [prod]", accounts: accounts) == ["p.yaml:8:5: policy 'p': give 'account' or 'accounts', not both"])
        #expect(errors("    region: eu-west", accounts: accounts) == ["p.yaml:7:13: policy 'p': 'eu-west' is not a region name (like us-east-1)"])
        #expect(errors("    accounts: []", accounts: accounts) == ["p.yaml:7:15: policy 'p': 'accounts' must name at least one"])
    }
}
