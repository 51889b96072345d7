import Foundation
@testable import ReflexPolicyFile
import Testing

/// The repository's root, for the shipped config and the README.
private let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

struct ShippedConfigTests {
    @Test func theExampleDaemonConfigIsValid() throws {
        let path = repository.appendingPathComponent("systemd/reflex.yaml").path
        let config = try ConfigParser.load(path: path)
        #expect(config.database == "/var/lib/reflex/reflex.db")
        #expect(config.policies == "/etc/reflex/policies")
        #expect(config.allowNoPolicies == false)
        #expect(config.pollInterval == .minutes(1))
        #expect(config.globalBudget?.description == "10 per 1h")
        // The example policies enforce: a new installation must not act before its operator said so.
        #expect(config.safeMode)
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

struct ConfigurationDocsTests {
    /// The README's Configuration section has a row for each key the config parser accepts (sub-keys
    /// written `guardrails.max_actions`, `receivers.NAME.url`), and none for a key it refuses.
    @Test func theReadmeHasARowForEveryConfigKey() throws {
        let readme = try String(contentsOf: repository.appendingPathComponent("README.md"), encoding: .utf8)
        let section = try #require(readme.components(separatedBy: "\n## Configuration\n").dropFirst().first?
            .components(separatedBy: "\n## ").first)
        let rows = section.split(separator: "\n").filter { $0.hasPrefix("| `") }
            .compactMap { $0.split(separator: "`", omittingEmptySubsequences: false).dropFirst().first.map(String.init) }
        let accepted = ConfigParser.keys + ConfigParser.guardrailKeys.map { "guardrails.\($0)" }
            + ConfigParser.receiverKeys.map { "receivers.NAME.\($0)" } + ConfigParser.auditKeys.map { "audit.\($0)" }
            + AccountsParser.accountKeys.map { "accounts.NAME.\($0)" } + HighAvailabilityParser.keys.map { "ha.\($0)" }
        #expect(Set(accepted).subtracting(rows).sorted() == [], "keys the parser accepts without a row in README.md, Configuration")
        #expect(Set(rows).subtracting(accepted).sorted() == [], "rows in README.md, Configuration, for keys the parser refuses")
    }
}
