import ReflexPolicyFile
import Testing

/// Anchors and aliases are refused in every file Reflex reads, at their own line and column,
/// before Yams expands them; a `*` that is not an alias is left alone.
struct YAMLAnchorTests {
    /// Nine levels of nine aliases each, the last used as a mapping key: Yams would hash 9^9
    /// nodes to look for duplicate keys.
    static let aliasBomb: String = {
        var lines = ["l0: &l0 [x, x, x, x, x, x, x, x, x]"]
        for level in 1...8 {
            lines.append("l\(level): &l\(level) [" + Array(repeating: "*l\(level - 1)", count: 9).joined(separator: ", ") + "]")
        }
        lines.append("? *l8\n: 1")
        return lines.joined(separator: "\n")
    }()

    @Test func anAliasBombUsedAsAKeyIsRefusedAtItsFirstAnchor() {
        let parsed = PolicyParser.parse(Self.aliasBomb, file: "bomb.yaml")
        #expect(parsed.policies.isEmpty)
        #expect(parsed.errors.map(\.description) == [
            "bomb.yaml:1:5: YAML anchor '&l0' is not allowed in Reflex files; write the value out in full",
        ])
        #expect(throws: PolicyFileError.self) { try PolicyTestFile.parse(Self.aliasBomb, file: "bomb.test.yaml") }
        #expect(throws: PolicyFileError.self) { try ConfigParser.parse(Self.aliasBomb, file: "reflex.yaml") }
    }

    @Test(arguments: [
        ("policies:\n  - &p { name: a }\n", "t.yaml:2:5: YAML anchor '&p'"),
        ("policies:\n  - name: a\n    description: &d text\n", "t.yaml:3:18: YAML anchor '&d'"),
        ("policies:\n  - { name: a, description: *d }\n", "t.yaml:2:29: YAML alias '*d'"),
        ("policies:\n  - ? *k\n    : v\n", "t.yaml:2:7: YAML alias '*k'"),
        ("policies: [*p]\n", "t.yaml:1:12: YAML alias '*p'"),
    ])
    func anchorsAndAliasesAreRefusedWhereTheyAre(text: String, prefix: String) {
        let errors = PolicyParser.parse(text, file: "t.yaml").errors.map(\.description)
        #expect(errors.count == 1 && errors[0].hasPrefix(prefix), "\(errors)")
    }

    @Test func aConfigWithAnAliasIsRefused() throws {
        let config = "database: &db /tmp/reflex.db\nregion: *db\n"
        #expect(throws: PolicyFileError(file: "reflex.yaml", line: 1, column: 11,
                                        message: "YAML anchor '&db' is not allowed in Reflex files; write the value out in full")) {
            try ConfigParser.parse(config, file: "reflex.yaml")
        }
    }

    @Test func starsThatAreNotAliasesAreLeftAlone() {
        let text = """
        # a comment with *star and &amp
        policies:
          - name: stars
            description: "quoted *not-an-alias &nor-an-anchor"
            runbook: plain text with a *star and an &ampersand
            metrics: { e: { namespace: N, metric: M, stat: Sum, period: 1m } }
            condition: e * 2 > 1 and e *3 > 1   # *comment
            resolve: >
              e * 2
              < 1
            target: { ecs_service: { cluster: c, service: s } }
        """
        let parsed = PolicyParser.parse(text, file: "stars.yaml")
        #expect(parsed.errors.isEmpty, "\(parsed.errors)")
        #expect(parsed.policies.map(\.policy.name) == ["stars"])
    }
}
