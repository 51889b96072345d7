import Foundation
import ReflexAudit
import ReflexCore
import ReflexTestSupport
import Testing

/// The real `reflex run` against the emulator with a real notify socket.
@Suite(.serialized)
struct DaemonTests {
    /// A running daemon with its emulator, notify socket, config directory and database.
    final class Running {
        let emulator: AWSEmulator
        let socket: NotifySocket
        let process: Process
        let directory: String
        /// The decision log: in `directory` unless the test put it elsewhere.
        let database: String
        /// The daemon's log (its standard error).
        let logPath: String

        /// What the daemon has logged so far.
        var log: String { (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? "" }
        var policies: String { directory + "/policies" }

        /// A daemon on the shipped policies (after `edit`) against a fresh emulator seeded with
        /// the cart-service world; or against `world`, an emulator the test built itself, as is.
        /// `before` puts what the first cycle must see (an incident under way) before the daemon
        /// starts, so that it is judged at once, however slow the machine, not a minute later.
        init(watchdog: Bool = true, webhook: URL? = nil, reuse: Running? = nil, database: String? = nil, world: AWSEmulator? = nil,
             pollInterval: String = "1s", edit: (inout [String: String]) -> Void = { _ in }, config extra: String = "",
             before: (AWSEmulator) async throws -> Void = { _ in }) async throws {
            socket = try NotifySocket()
            if let reuse {
                emulator = reuse.emulator
                directory = reuse.directory
                self.database = reuse.database
            } else {
                if let world {
                    emulator = world
                } else {
                    emulator = try AWSEmulator.start()
                    try await emulator.seedCartService()
                }
                directory = FileManager.default.temporaryDirectory.appendingPathComponent("reflex-daemon-\(UUID().uuidString)").path
                self.database = database ?? directory + "/reflex.db"
                try FileManager.default.createDirectory(atPath: directory + "/policies", withIntermediateDirectories: true)
                var files: [String: String] = [:]
                for name in try FileManager.default.contentsOfDirectory(atPath: ReflexBinary.repository.path + "/policies") where !name.contains(".test.") {
                    files[name] = try String(contentsOfFile: ReflexBinary.repository.path + "/policies/" + name, encoding: .utf8)
                }
                edit(&files)
                for (name, text) in files { try text.write(toFile: directory + "/policies/" + name, atomically: true, encoding: .utf8) }
                var config = "region: us-east-1\npolicies: policies\ndatabase: \(self.database)\npoll_interval: \(pollInterval)\n" + extra
                if let webhook {
                    try "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw\n".write(toFile: directory + "/oncall.secret", atomically: true, encoding: .utf8)
                    config += "receivers:\n  oncall: { url: \"\(webhook.absoluteString)\", secret_file: oncall.secret }\n"
                }
                try config.write(toFile: directory + "/reflex.yaml", atomically: true, encoding: .utf8)
            }
            try await before(emulator)
            process = Process()
            process.executableURL = URL(fileURLWithPath: ReflexBinary.path)
            process.arguments = ["run", "--config", directory + "/reflex.yaml"]
            var environment = ReflexBinary.environment.merging(emulator.environment) { $1 }
            environment["NOTIFY_SOCKET"] = socket.path
            environment["WATCHDOG_USEC"] = watchdog ? "1000000" : nil
            environment["WATCHDOG_PID"] = nil
            environment["JOURNAL_STREAM"] = nil
            process.environment = environment
            // Each run keeps its own log beside the config, for tests to read and people to debug.
            logPath = directory + "/daemon-\(UUID().uuidString).log"
            guard FileManager.default.createFile(atPath: logPath, contents: nil) else { throw EmulatorError("cannot create \(logPath)") }
            process.standardError = FileHandle(forWritingAtPath: logPath)
            try process.run()
        }

        deinit { if process.isRunning { process.terminate() } }

        func signal(_ number: Int32) { kill(process.processIdentifier, number) }

        /// The decisions of `kind` so far, oldest first.
        func decisions(_ kind: String, policy: String? = nil) throws -> [StoredDecision] {
            try AuditReader(path: database).list(DecisionFilter(policy: policy, kind: kind), limit: 1000).reversed()
        }

        /// Waits until at least `count` decisions of `kind` (that match `matching`) exist. The
        /// default allows for data put after the daemon judged the current minute: it is judged
        /// with the next minute, up to a minute and its cycle later.
        @discardableResult
        func wait(for kind: String, policy: String? = nil, count: Int = 1, timeout: TimeInterval = 90,
                  matching: (StoredDecision) -> Bool = { _ in true }) async throws -> [StoredDecision] {
            let deadline = Date().addingTimeInterval(timeout)
            while Date() < deadline {
                // The daemon may still be creating the database: not found yet is not an error.
                if let found = try? decisions(kind, policy: policy).filter(matching), found.count >= count { return found }
                try await Task.sleep(for: .milliseconds(100))
            }
            throw EmulatorError("no \(count) \(kind) decision(s) within \(timeout) s\n" + diagnosis(policy: policy))
        }

        /// What the daemon decided and logged so far, for a failing test to show why.
        func diagnosis(policy: String?) -> String {
            let recorded = (try? AuditReader(path: database).list(DecisionFilter(policy: policy), limit: 40).reversed()) ?? []
            let decisions = recorded.map { "  \($0.record.at) \($0.record.kind) \($0.record.reason ?? "") \($0.record.detail ?? "")" }
            let logTail = log.split(separator: "\n").suffix(30).map { "  " + $0 }
            return (["decisions so far:"] + decisions + ["daemon log (end):"] + logTail).joined(separator: "\n")
        }

        /// Stops the daemon as systemd does (SIGTERM) and returns its exit status.
        func stop(within seconds: TimeInterval = 30) async throws -> Int32 {
            signal(SIGTERM)
            return try await exitStatus(within: seconds)
        }

        func exitStatus(within seconds: TimeInterval = 30) async throws -> Int32 {
            let deadline = Date().addingTimeInterval(seconds)
            while process.isRunning && Date() < deadline { try await Task.sleep(for: .milliseconds(50)) }
            #expect(!process.isRunning, "still running \(seconds) s later")
            if process.isRunning {
                // Failed already; killed so that the run goes on with the next test.
                kill(process.processIdentifier, SIGKILL)
                process.waitUntilExit()
            }
            return process.terminationStatus
        }
    }

    @Test func notifiesReadyStatusWatchdogReloadAndStopping() async throws {
        let daemon = try await Running()
        let ready = try await daemon.socket.wait(for: { $0 == "READY=1" })
        let firstStatus = try await daemon.socket.wait(for: { $0.hasPrefix("STATUS=7 policies") }, after: ready)
        try await daemon.socket.wait(for: { $0.hasPrefix("STATUS=7 policies") }, after: firstStatus + 1)
        // WATCHDOG_USEC is 1 s: pings every half second or so, from the loop.
        let windowStart = Date()
        try await Task.sleep(for: .seconds(3))
        let pings = daemon.socket.lines.filter { $0.line == "WATCHDOG=1" && $0.at >= windowStart && $0.at < windowStart.addingTimeInterval(3) }
        #expect(pings.count >= 5, "\(pings.count) pings in 3 s")
        let gaps = zip(pings.dropFirst(), pings).map { $0.at.timeIntervalSince($1.at) }
        #expect(gaps.allSatisfy { $0 < 1.0 }, "\(gaps)")

        let beforeReload = daemon.socket.lines.count
        daemon.signal(SIGHUP)
        let reloading = try await daemon.socket.wait(for: { $0 == "RELOADING=1" }, after: beforeReload)
        #expect(daemon.socket.lines[reloading + 1].line.hasPrefix("MONOTONIC_USEC="))
        try await daemon.socket.wait(for: { $0 == "READY=1" }, after: reloading)

        let beforeStop = daemon.socket.lines.count
        daemon.signal(SIGTERM)
        try await daemon.socket.wait(for: { $0 == "STOPPING=1" }, after: beforeStop)
        #expect(try await daemon.exitStatus() == 0)
        // The decision log records the start and the reload, and is intact.
        let loaded = try AuditReader(path: daemon.database).list(DecisionFilter(kind: "policies-loaded"), limit: 10)
        #expect(loaded.map(\.record.outcome).reversed() == ["loaded", "reloaded"])
        guard case .intact = try AuditReader(path: daemon.database).verify() else { Issue.record("chain broken"); return }
    }

    @Test func aBrokenReloadKeepsTheOldPoliciesAndAFixedOneSwitches() async throws {
        let daemon = try await Running()
        try await daemon.socket.wait(for: { $0.hasPrefix("STATUS=7 policies") })
        let file = daemon.policies + "/cart-rollback.yaml"
        let good = try String(contentsOfFile: file, encoding: .utf8)
        try good.replacingOccurrences(of: "for: 3m", with: "for: 3 minutes").write(toFile: file, atomically: true, encoding: .utf8)
        var mark = daemon.socket.lines.count
        daemon.signal(SIGHUP)
        try await daemon.socket.wait(for: { $0.hasPrefix("STATUS=reload rejected, running the previous 7 policies") && $0.contains("cart-rollback.yaml:18:10") }, after: mark)
        // Still evaluating the old set, and saying why.
        try await daemon.socket.wait(for: { $0.hasPrefix("STATUS=7 policies") && $0.contains("reload rejected") }, after: mark)
        let rejected = try AuditReader(path: daemon.database).list(DecisionFilter(kind: "policies-loaded"), limit: 1).first
        #expect(rejected?.record.outcome == "rejected")

        // Fixed, and one more policy: the new set takes over.
        try good.write(toFile: file, atomically: true, encoding: .utf8)
        try good.replacingOccurrences(of: "cart-rollback-on-5xx-after-deploy", with: "cart-rollback-copy")
            .write(toFile: daemon.policies + "/copy.yaml", atomically: true, encoding: .utf8)
        mark = daemon.socket.lines.count
        daemon.signal(SIGHUP)
        try await daemon.socket.wait(for: { $0 == "STATUS=reloaded 8 policies" }, after: mark)
        try await daemon.socket.wait(for: { $0.hasPrefix("STATUS=8 policies") && !$0.contains("rejected") }, after: mark)
        #expect(try await daemon.stop() == 0)
    }

    @Test func aReloadAppliesTheWholeConfigAndRejectsASettingOnlyARestartApplies() async throws {
        let receiver = try WebhookReceiver.start()
        let newSecret = "whsec_bmV3IHNlY3JldCBmb3IgdGhlIHJlbG9hZA=="
        try await receiver.verify(with: [newSecret])
        let daemon = try await Running(watchdog: false, webhook: receiver.url)
        try await daemon.socket.wait(for: { $0.hasPrefix("STATUS=7 policies") })
        let configPath = daemon.directory + "/reflex.yaml"
        let original = try String(contentsOfFile: configPath, encoding: .utf8)

        // A longer poll, safe mode on by default, and a new secret for the receiver.
        try (newSecret + "\n").write(toFile: daemon.directory + "/oncall.secret", atomically: true, encoding: .utf8)
        try (original.replacingOccurrences(of: "poll_interval: 1s", with: "poll_interval: 3s") + "safe_mode: true\n")
            .write(toFile: configPath, atomically: true, encoding: .utf8)
        var mark = daemon.socket.lines.count
        daemon.signal(SIGHUP)
        try await daemon.socket.wait(for: { $0 == "STATUS=reloaded 7 policies" }, after: mark)
        let first = try await daemon.socket.wait(for: { $0.hasPrefix("STATUS=7 policies") && $0.hasSuffix("SAFE MODE") }, after: mark)
        let second = try await daemon.socket.wait(for: { $0.hasPrefix("STATUS=7 policies") }, after: first + 1)
        let third = try await daemon.socket.wait(for: { $0.hasPrefix("STATUS=7 policies") }, after: second + 1)
        let lines = daemon.socket.lines
        #expect(lines[third].at.timeIntervalSince(lines[second].at) > 2.5, "cycles \(lines[third].at.timeIntervalSince(lines[second].at)) s apart")
        // An event after the reload is signed with the new secret.
        let switched = try await ReflexBinary.run(["safe-mode", "off", "--config", configPath])
        #expect(switched.status == 0, "\(switched.stderr)")
        #expect(try await eventually(timeout: .seconds(30)) { try await receiver.received().contains { $0.body.contains("safe-mode") } })
        let delivered = try await receiver.received().filter { $0.body.contains("safe-mode") }
        #expect(!delivered.isEmpty && delivered.allSatisfy(\.signature_valid), "\(delivered.map(\.signature_valid))")
        let reloaded = try #require(try daemon.decisions("policies-loaded").last)
        #expect(reloaded.record.outcome == "reloaded")

        // Another database: only a restart can move the log, so the reload is rejected whole.
        try original.replacingOccurrences(of: "database: \(daemon.database)", with: "database: \(daemon.directory)/elsewhere.db")
            .write(toFile: configPath, atomically: true, encoding: .utf8)
        mark = daemon.socket.lines.count
        daemon.signal(SIGHUP)
        try await daemon.socket.wait(for: {
            $0 == "STATUS=reload rejected, running the previous 7 policies: changes database, which only a restart applies"
        }, after: mark)
        let rejected = try #require(try daemon.decisions("policies-loaded").last)
        #expect(rejected.record.outcome == "rejected")
        #expect(rejected.record.detail == "changes database, which only a restart applies")
        #expect(!FileManager.default.fileExists(atPath: daemon.directory + "/elsewhere.db"))
        #expect(try await daemon.stop() == 0)
    }

    @Test func aStalledLoopStopsTheWatchdogPings() async throws {
        let daemon = try await Running()
        let ready = try await daemon.socket.wait(for: { $0.hasPrefix("STATUS=7 policies") })
        // The next three GetMetricData calls hang 4 s each: the cycle that fetches (the first
        // after the next minute boundary) is stuck for about 4 s.
        try await daemon.emulator.inject([.init(target: "GetMetricData", delay: 4, count: 3)])
        let stalledFrom = Date()
        try await daemon.socket.wait(for: { line in
            line.hasPrefix("STATUS=7 policies") && (line.components(separatedBy: "last cycle ").last?.split(separator: " ").first.flatMap { Double($0) } ?? 0) > 3
        }, after: daemon.socket.lines.count, timeout: 90)
        let pings = daemon.socket.lines.filter { $0.line == "WATCHDOG=1" && $0.at >= stalledFrom.addingTimeInterval(-1) }
        let longestGap = zip(pings.dropFirst(), pings).map { $0.at.timeIntervalSince($1.at) }.max() ?? 0
        // Systemd, with WatchdogSec=1s, would have restarted the process during this gap.
        #expect(longestGap > 3, "longest gap between pings \(longestGap) s")
        #expect(ready >= 0)
        #expect(try await daemon.stop() == 0)
    }

    @Test func statusShowsWhatTheDaemonLastReported() async throws {
        let daemon = try await Running(watchdog: false)
        let first = try await daemon.socket.wait(for: { $0.hasPrefix("STATUS=7 policies") })
        // Five one-minute series and one five-minute series, each bought once per period: 312
        // an hour, however often the daemon polls (every second here).
        let line = daemon.socket.lines[first].line
        let rate = line.split(separator: ", ").first { $0.hasSuffix(" metrics/h") }.flatMap { Int($0.dropLast(10).replacingOccurrences(of: ",", with: "")) }
        #expect(rate == 312, "\(line)")
        let status = try await ReflexBinary.run(["status", "--db", daemon.database])
        #expect(status.status == 0, "\(status.stderr)")
        #expect(status.stdout.contains("7 policies over 7 targets, "))
        #expect(status.stdout.contains("cart-rollback-on-5xx-after-deploy"))
        #expect(status.stdout.contains(" metrics/h"), "\(status.stdout)")
        let counted = status.stdout.split(separator: "\n").first { $0.hasPrefix("CloudWatch: ") }.map(String.init) ?? ""
        #expect(counted.contains(" metrics requested since the start at ") && counted.contains("(the schedule buys 312 metrics/h, about $2.25 a month at $0.01 per 1,000)"), "\(status.stdout)")
        daemon.signal(SIGINT)
        #expect(try await daemon.exitStatus() == 0)
    }

    /// Just enough of a recorded GetMetricData request to count its queries.
    struct MetricDataRequest: Decodable, Sendable {
        struct Query: Decodable, Sendable { let Id: String }
        let MetricDataQueries: [Query]
    }

    @Test func aTwoSecondPollBuysTheOneMinuteSeriesOnceAMinute() async throws {
        let world = try AWSEmulator.start()
        try await world.seedCartService()
        try await world.startRecordingRequests()
        let daemon = try await Running(watchdog: false, world: world, pollInterval: "2s")
        let first = try await daemon.socket.wait(for: { $0.hasPrefix("STATUS=7 policies") })
        let started = daemon.socket.lines[first].at.timeIntervalSince1970
        // Watch at least half a minute and past a minute boundary, when the one-minute series
        // have a new period to judge.
        var boundary = (started / 60).rounded(.down) * 60 + 60
        if boundary - started < 30 { boundary += 60 }
        try await Task.sleep(for: .seconds(boundary + 5 - Date().timeIntervalSince1970))
        let boundaries = Int((boundary - (started / 60).rounded(.down) * 60) / 60)
        let calls = try await world.recordedCalls(of: "GetMetricData", as: MetricDataRequest.self)
        let cycles = daemon.socket.lines.filter { $0.line.hasPrefix("STATUS=7 policies") }.count
        #expect(try await daemon.stop() == 0)
        // One call at the start for the six series, then one call a minute for the five
        // one-minute series (with the five-minute one when its period also ended), while the
        // daemon looked at the clock every two seconds.
        #expect(cycles >= Int(boundary - started) / 2 - 3, "\(cycles) cycles")
        #expect(calls.count == 1 + boundaries, "\(calls.count) GetMetricData calls over \(cycles) cycles")
        #expect(calls.first?.params.MetricDataQueries.count == 6)
        for call in calls.dropFirst() { #expect([5, 6].contains(call.params.MetricDataQueries.count)) }
        #expect(calls.allSatisfy { $0.problems.isEmpty }, "\(calls.flatMap(\.problems))")
        let status = try await ReflexBinary.run(["status", "--db", daemon.database])
        #expect(status.stdout.contains("(the schedule buys 312 metrics/h"), "\(status.stdout)")
    }

    @Test func aRestartWhileFiringPagesNoSecondTime() async throws {
        let receiver = try WebhookReceiver.start()
        let first = try await Running(watchdog: false, webhook: receiver.url)
        try await NeverTwiceScenarioTests.throttle(first)
        try await first.socket.wait(for: { $0.hasPrefix("STATUS=7 policies over 7 targets, 1 firing") }, timeout: 90)
        #expect(try await eventually { try await receiver.received().contains { $0.body.contains("\"policy.fired\"") } })
        #expect(try await first.stop() == 0)

        // The next run judges the same throttling (a fetch of its own) and finds the policy still firing.
        try await first.emulator.startRecordingRequests()
        let second = try await Running(watchdog: false, reuse: first)
        try await second.socket.wait(for: { $0.hasPrefix("STATUS=7 policies over 7 targets, 1 firing") })
        #expect(try await !first.emulator.recordedRequests().filter { $0.operation == "GetMetricData" }.isEmpty)
        #expect(second.log.contains("resumed "), "\(second.log)")
        try await Task.sleep(for: .seconds(3))
        let firings = try second.decisions("state-change", policy: NeverTwiceScenarioTests.throttling).filter { $0.record.stateTo == "firing" }
        #expect(firings.count == 1)
        let pages = try await receiver.received().filter { $0.body.contains("\"policy.fired\"") }
        #expect(pages.count == 1, "\(pages.map(\.body))")
        #expect(try await second.stop() == 0)
    }

    @Test func webhooksPendingWhenTheDaemonIsKilledAreDeliveredAfterARestart() async throws {
        let receiver = try WebhookReceiver.start()
        try await receiver.verify(with: ["whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"])
        // The receiver is down (503) for the first run.
        try await receiver.script(Array(repeating: .init(503), count: 1000))
        let first = try await Running(webhook: receiver.url)
        let now = Int(Date().timeIntervalSince1970)
        let minutes = (1...14).map { Date(timeIntervalSince1970: Double(now - now % 60 - $0 * 60)) }
        try await first.emulator.putMetricData(namespace: "AWS/DynamoDB", metric: "ThrottledRequests", dimensions: ["TableName": "cart-service-carts"],
                                               points: minutes.map { ($0, 40) })
        try await first.socket.wait(for: { $0.hasPrefix("STATUS=7 policies over 7 targets, 1 firing") })
        try await Task.sleep(for: .seconds(2))
        first.signal(SIGKILL)
        _ = try await first.exitStatus()
        let pending = try AuditReader(path: first.database).deliveries(limit: 100).filter { $0.state == "pending" }
        #expect(!pending.isEmpty)

        // Up again: a new daemon on the same database delivers everything, once each, signed.
        try await receiver.script([])
        let received503 = try await receiver.received().count
        let second = try await Running(reuse: first)
        // Deliveries keep the backoff they had: allow for it.
        for _ in 0..<300 {
            if try AuditReader(path: second.database).deliveries(limit: 100).allSatisfy({ $0.state == "delivered" }) { break }
            try await Task.sleep(for: .milliseconds(200))
        }
        let rows = try AuditReader(path: second.database).deliveries(limit: 100)
        #expect(rows.allSatisfy { $0.state == "delivered" }, "\(rows.map(\.state))")
        let delivered = try await receiver.received().dropFirst(received503).filter { $0.status == 200 }
        #expect(delivered.allSatisfy { $0.signature_valid })
        #expect(Set(delivered.compactMap(\.id)).count == delivered.count)
        #expect(Set(pending.map(\.webhookID)).isSubset(of: Set(delivered.compactMap(\.id))))
        #expect(try await second.stop() == 0)
    }

    @Test func aBadConfigIsRefusedBeforeReady() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("reflex-bad-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        try "policies: nowhere\npoll_interval: often\n".write(toFile: directory + "/reflex.yaml", atomically: true, encoding: .utf8)
        let outcome = try await ReflexBinary.run(["run", "--config", directory + "/reflex.yaml"])
        #expect(outcome.status == 2)
        #expect(outcome.stderr.contains("reflex.yaml:2:16: 'poll_interval' must be a duration"), "\(outcome.stderr)")
    }

    @Test func noPoliciesAreRefusedUnlessTheConfigAllowsThem() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("reflex-empty-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory + "/policies", withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: directory + "/policies/team", withDestinationPath: directory + "/gone")
        try "policies: policies\n".write(toFile: directory + "/reflex.yaml", atomically: true, encoding: .utf8)
        let dangling = try await ReflexBinary.run(["run", "--config", directory + "/reflex.yaml"])
        #expect(dangling.status == 2)
        #expect(dangling.stderr.contains("\(directory)/policies/team: a symbolic link to nothing"), "\(dangling.stderr)")

        try FileManager.default.removeItem(atPath: directory + "/policies/team")
        let empty = try await ReflexBinary.run(["run", "--config", directory + "/reflex.yaml"])
        #expect(empty.status == 2)
        #expect(empty.stderr.contains("no policies found in \(directory)/policies"), "\(empty.stderr)")

        try "policies: policies\nallow_no_policies: yes\n".write(toFile: directory + "/reflex.yaml", atomically: true, encoding: .utf8)
        let badType = try await ReflexBinary.run(["run", "--config", directory + "/reflex.yaml"])
        #expect(badType.status == 2)
        #expect(badType.stderr.contains("reflex.yaml:2:20: 'allow_no_policies' must be true or false, found 'yes'"), "\(badType.stderr)")
    }
}
