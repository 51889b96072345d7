import ReflexCore
import ReflexPolicyFile
import Testing

/// The config's `audit` section: the checkpoint signing key and how often checkpoints are made.
struct AuditConfigTests {
    @Test func theKeyIsFoundBesideTheConfigAndTheIntervalDefaultsToAnHour() throws {
        let config = try ConfigParser.parse("policies: p\naudit: { signing_key: keys/audit.key, checkpoint_every: 15m }\n", file: "/etc/reflex/reflex.yaml")
        #expect(config.auditSigningKey == "/etc/reflex/keys/audit.key")
        #expect(config.checkpointEvery == .minutes(15))
        let plain = try ConfigParser.parse("policies: p\n", file: "/etc/reflex/reflex.yaml")
        #expect(plain.auditSigningKey == nil)
        #expect(plain.checkpointEvery == .hours(1))
    }

    @Test func aZeroIntervalOrAnUnknownKeyIsALocatedError() {
        #expect(throws: PolicyFileError(file: "reflex.yaml", line: 2, column: 44, message: "'checkpoint_every' must be longer than zero")) {
            try ConfigParser.parse("policies: p\naudit: { signing_key: k, checkpoint_every: 0s }\n", file: "reflex.yaml")
        }
        #expect(throws: PolicyFileError.self) {
            try ConfigParser.parse("policies: p\naudit: { signing_keys: k }\n", file: "reflex.yaml")
        }
    }

    @Test func onlyARestartAppliesAnotherKeyOrInterval() throws {
        let running = try ConfigParser.parse("policies: p\naudit: { signing_key: /k1 }\n", file: "reflex.yaml")
        let reloaded = try ConfigParser.parse("policies: p\naudit: { signing_key: /k2, checkpoint_every: 5m }\n", file: "reflex.yaml")
        #expect(running.settingsNeedingRestart(in: reloaded) == ["audit.signing_key", "audit.checkpoint_every"])
        #expect(running.settingsNeedingRestart(in: running) == [])
    }
}
