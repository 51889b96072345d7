import Foundation
import ReflexPolicyFile
import Testing

struct ShippedConfigTests {
    @Test func theExampleDaemonConfigIsValid() throws {
        let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("systemd/reflex.yaml").path
        let config = try ConfigParser.load(path: path)
        #expect(config.database == "/var/lib/reflex/reflex.db")
        #expect(config.policies == "/etc/reflex/policies")
        #expect(config.allowNoPolicies == false)
        #expect(config.pollInterval == .minutes(1))
        #expect(config.globalBudget?.description == "10 per 1h")
    }
}

struct AllowNoPoliciesConfigTests {
    @Test func defaultsToFalseAndReadsTrue() throws {
        #expect(try ConfigParser.parse("policies: p\n", file: "reflex.yaml").allowNoPolicies == false)
        #expect(try ConfigParser.parse("policies: p\nallow_no_policies: true\n", file: "reflex.yaml").allowNoPolicies)
    }

    @Test func aWrongTypeIsALocatedError() {
        #expect(throws: PolicyFileError(file: "reflex.yaml", line: 2, column: 20, message: "'allow_no_policies' must be true or false, found 'yes'")) {
            try ConfigParser.parse("policies: p\nallow_no_policies: yes\n", file: "reflex.yaml")
        }
    }
}
