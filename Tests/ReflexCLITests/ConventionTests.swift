import Foundation
import ReflexAudit
import ReflexCore
import Testing

/// What every command line tool owes its user: a version, help when called bare, and a hint
/// for a misspelt command or filter value instead of a bare refusal.
struct ConventionTests {
    @Test func versionIsPrinted() async throws {
        let outcome = try await ReflexBinary.run(["--version"])
        #expect(outcome.status == 0)
        #expect(outcome.stdout == "reflex \(ReflexVersion.current)\n")
        #expect(ReflexVersion.current.split(separator: ".").count == 3)
    }

    @Test func bareReflexPrintsHelpToStandardErrorAndExits2() async throws {
        let outcome = try await ReflexBinary.run([])
        #expect(outcome.status == 2)
        #expect(outcome.stdout.isEmpty)
        #expect(outcome.stderr.contains("USAGE: reflex <subcommand>"), "\(outcome.stderr)")
        #expect(outcome.stderr.contains("SUBCOMMANDS:"), "\(outcome.stderr)")
    }

    @Test func anUnknownCommandSuggestsTheClosest() async throws {
        let top = try await ReflexBinary.run(["sttaus", "--db", "/nowhere.db"])
        #expect(top.status == 2)
        #expect(top.stderr.hasPrefix("reflex: unknown command 'sttaus'; did you mean 'status'? (commands: run, status, "), "\(top.stderr)")
        let nested = try await ReflexBinary.run(["audit", "lsit", "--db", "/nowhere.db"])
        #expect(nested.status == 2)
        #expect(nested.stderr.hasPrefix("reflex audit: unknown command 'lsit'; did you mean 'list'?"), "\(nested.stderr)")
        let far = try await ReflexBinary.run(["frobnicate"])
        #expect(far.status == 2)
        #expect(far.stderr.hasPrefix("reflex: unknown command 'frobnicate' (commands: "), "\(far.stderr)")
        // Help stays a command, and options are no commands.
        #expect(try await ReflexBinary.run(["help", "status"]).status == 0)
        #expect(try await ReflexBinary.run(["audit", "--help"]).status == 0)
    }

    @Test func auditFilterValuesAreCheckedAgainstTheKnownOnes() async throws {
        let path = try AuditCommandTests().makeLog()
        // An AWS error code is a reason only logs know.
        let store = try DecisionStore(path: path)
        _ = try store.append(DecisionRecord(at: AuditCommandTests.start, kind: .actionFailed, policy: "rollback", reason: "ThrottlingException", mode: "enforce"))
        let cases: [(arguments: [String], message: String)] = [
            (["--kind", "action-exectued"], "unknown --kind 'action-exectued'; did you mean 'action-executed'? (known: action-dry-run, "),
            (["--mode", "dryrun"], "unknown --mode 'dryrun'; did you mean 'dry-run'? (known: approve, dry-run, enforce)"),
            (["--reason", "cooldwn"], "unknown --reason 'cooldwn'; did you mean 'cooldown'? (known: "),
        ]
        for (arguments, message) in cases {
            for command in ["list", "export"] {
                let outcome = try await ReflexBinary.run(["audit", command, "--db", path] + arguments)
                #expect(outcome.status == 2, "\(command) \(arguments)")
                #expect(outcome.stdout.isEmpty, "\(command) \(arguments)")
                #expect(outcome.stderr.contains(message), "\(command) \(arguments): \(outcome.stderr)")
            }
        }
        // Known values pass: Reflex's own codes even where the log has none, and the log's own.
        for arguments in [["--kind", "circuit-changed"], ["--mode", "dry-run"], ["--reason", "circuit-reset"], ["--reason", "ThrottlingException"]] {
            let outcome = try await ReflexBinary.run(["audit", "list", "--db", path, "--format", "json"] + arguments)
            #expect(outcome.status == 0, "\(arguments): \(outcome.stderr)")
        }
        let throttled = try await ReflexBinary.run(["audit", "list", "--db", path, "--reason", "ThrottlingException", "--format", "csv"])
        #expect(throttled.stdout.split(separator: "\n").count == 2, "\(throttled.stdout)")
    }
}
