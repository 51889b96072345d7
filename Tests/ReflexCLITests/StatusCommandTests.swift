import Foundation
import ReflexAudit
import ReflexCore
import ReflexTestSupport
import Testing

/// `reflex status` against the real daemon: running, stopped cleanly, and gone without a stop.
@Suite(.serialized)
struct StatusCommandTests {
    @Test func statusTellsRunningFromStoppedFromGone() async throws {
        let first = try await DaemonTests.Running(watchdog: false)
        try await first.socket.wait(for: { $0.hasPrefix("STATUS=7 policies") })
        let pid = first.process.processIdentifier
        let running = try await ReflexBinary.run(["status", "--db", first.database])
        #expect(running.status == 0, "\(running.stdout)\(running.stderr)")
        #expect(running.stdout.hasPrefix("running: pid \(pid), reflex \(ReflexVersion.current); last cycle "), "\(running.stdout)")
        // The version that loaded the policies is on record.
        let loaded = try #require(try first.decisions("policies-loaded").first)
        #expect(loaded.record.detail?.hasPrefix("reflex \(ReflexVersion.current), 7 policies: ") == true, "\(loaded.record.detail ?? "")")

        #expect(try await first.stop() == 0)
        let stopped = try await ReflexBinary.run(["status", "--db", first.database])
        #expect(stopped.status == 3, "\(stopped.stdout)\(stopped.stderr)")
        let stoppedLine = stopped.stdout.split(separator: "\n").first.map(String.init) ?? ""
        #expect(stoppedLine.hasPrefix("stopped at "), "\(stopped.stdout)")
        #expect(stoppedLine.hasSuffix(" (a clean stop), pid \(pid), reflex \(ReflexVersion.current)"), "\(stopped.stdout)")
        #expect(stopped.stdout.contains("7 policies over 7 targets"), "\(stopped.stdout)")

        // Started again on the same log, then killed: it never recorded a stop.
        let second = try await DaemonTests.Running(watchdog: false, reuse: first)
        try await second.socket.wait(for: { $0.hasPrefix("STATUS=7 policies") })
        let secondPid = second.process.processIdentifier
        #expect(try await ReflexBinary.run(["status", "--db", second.database]).status == 0)
        second.signal(SIGKILL)
        _ = try await second.exitStatus()
        let report = try #require(try AuditReader(path: second.database).daemonStatus())
        let gone = try await ReflexBinary.run(["status", "--db", second.database])
        #expect(gone.status == 3, "\(gone.stdout)\(gone.stderr)")
        #expect(gone.stdout.hasPrefix("not running (last report at \(StoredTime.format(report.updatedAt)), pid \(secondPid) gone)\n"), "\(gone.stdout)")
    }

    @Test func aLogNoDaemonReportedToIsNotRunningAndNoLogIsAnError() async throws {
        let path = try AuditCommandTests().makeLog()
        let never = try await ReflexBinary.run(["status", "--db", path])
        #expect(never.status == 3)
        #expect(never.stdout == "not running: no daemon has reported on this decision log yet\n")
        let missing = try await ReflexBinary.run(["status", "--db", path + ".missing"])
        #expect(missing.status == 2)
        #expect(missing.stderr.contains("no decision log at"), "\(missing.stderr)")
    }
}
