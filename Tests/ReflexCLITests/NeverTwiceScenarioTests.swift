import Foundation
import ReflexAudit
import ReflexTestSupport
import Testing

/// The real daemon under the faults that could make it act twice or act unrecorded: a database
/// locked between an intent and its outcome or during a reload, SIGTERM during a slow webhook
/// delivery, a second daemon on the same database, and a full disk.
@Suite(.serialized)
struct NeverTwiceScenarioTests {
    typealias Running = DaemonTests.Running

    static let throttling = "cart-dynamodb-throttling"

    /// Eight minutes of heavy throttling: the throttling policy fires at once.
    static func throttle(_ daemon: Running) async throws {
        try await ScenarioTests.put(daemon, "AWS/DynamoDB", "ThrottledRequests", ScenarioTests.table, ScenarioTests.ongoing(), 40)
    }

    static func updateTableCalls(_ daemon: Running) async throws -> Int {
        try await daemon.emulator.calls()["DynamoDB_20120810.UpdateTable"] ?? 0
    }

    /// Another process holding `BEGIN EXCLUSIVE` on `database` for `seconds`; returns once the
    /// lock is held.
    static func holdExclusiveLock(on database: String, for seconds: Int) throws -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", """
            import sqlite3, sys, time
            db = sqlite3.connect(sys.argv[1], isolation_level=None, timeout=30)
            db.execute("BEGIN EXCLUSIVE")
            print("locked", flush=True)
            time.sleep(float(sys.argv[2]))
            db.execute("COMMIT")
            """, database, String(seconds)]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let line = String(decoding: output.fileHandleForReading.availableData, as: UTF8.self)
        #expect(line.hasPrefix("locked"), "the lock holder said: \(line)")
        return process
    }

    @Test func anOutcomeTheLockedDatabaseRefusedIsWrittenLaterAndTheActionIsNotRepeated() async throws {
        let daemon = try await Running(watchdog: false)
        try await daemon.socket.wait(for: { $0.hasPrefix("STATUS=7 policies") })
        // UpdateTable answers after 3 s: time enough to lock the database after the intent.
        try await daemon.emulator.inject([.init(target: "UpdateTable", delay: 3, count: 1)])
        try await Self.throttle(daemon)
        let intent = try #require(try await daemon.wait(for: "action-intent", policy: Self.throttling).first)
        // Held until the outcome's write has given up: after 3 s of UpdateTable, the daemon's
        // writes queue up (webhook outbox, status, outcome) and each waits 10 s for the lock.
        let locker = try Self.holdExclusiveLock(on: daemon.database, for: 45)
        locker.waitUntilExit()
        // The outcome reaches the log once the lock is gone, linked to its intent.
        let executed = try await daemon.wait(for: "action-executed", policy: Self.throttling, timeout: 40)
        #expect(executed.map(\.record.intentID) == [intent.id])
        // Several cycles later, within the 10-minute cooldown: still one intent, one call.
        for _ in 0..<3 { try await daemon.socket.wait(for: { $0.hasPrefix("STATUS=7 policies") }, after: daemon.socket.lines.count) }
        #expect(try daemon.decisions("action-intent").count == 1)
        #expect(try await Self.updateTableCalls(daemon) == 1)
        #expect(try daemon.decisions("action-held", policy: Self.throttling).last?.record.reason == "cooldown")
        #expect(try await daemon.stop() == 0)
        guard case .intact = try AuditReader(path: daemon.database).verify() else { Issue.record("chain broken"); return }
    }

    @Test func aReloadRejectedByTheLockedLogIsRecordedOnceItTakesWrites() async throws {
        let daemon = try await Running(watchdog: false)
        try await daemon.socket.wait(for: { $0.hasPrefix("STATUS=7 policies") })
        // Locked past the 10 s each write queued before the reload's waits for it: the reload
        // cannot record its policy versions, so it is rejected, and that decision is refused too.
        let locker = try Self.holdExclusiveLock(on: daemon.database, for: 50)
        let before = daemon.socket.lines.count
        daemon.signal(SIGHUP)
        try await daemon.socket.wait(for: { $0 == "RELOADING=1" }, after: before)
        locker.waitUntilExit()
        let rejected = try await daemon.wait(for: "policies-loaded", timeout: 60, matching: { $0.record.reason == "reload-rejected" })
        #expect(rejected.first?.record.detail?.contains("locked") == true, "\(rejected.first?.record.detail ?? "")")
        // The log takes writes again: the next reload is applied and recorded after it, in order.
        daemon.signal(SIGHUP)
        let loaded = try await daemon.wait(for: "policies-loaded", count: 3, timeout: 60)
        #expect(loaded.map(\.record.reason) == ["start", "reload-rejected", "reload"])
        #expect(try await daemon.stop() == 0)
        guard case .intact = try AuditReader(path: daemon.database).verify() else { Issue.record("chain broken"); return }
    }

    @Test func sigtermDuringASlowDeliveryStartsNoNewAction() async throws {
        let receiver = try WebhookReceiver.start()
        // Every delivery hangs (up to the 30 s timeout): a stop that waited for deliveries
        // would wait that long, and the loop would go on meanwhile.
        try await receiver.script(Array(repeating: .init(200, hang: true), count: 50))
        let daemon = try await Running(watchdog: false, edit: { files in
            // A one-second cooldown and room to grow: left running, it acts every few seconds.
            files["cart-dynamodb-throttling.yaml"] = files["cart-dynamodb-throttling.yaml"]!
                .replacingOccurrences(of: "cooldown: 10m", with: "cooldown: 1s")
                .replacingOccurrences(of: "max_actions: 4 per 6h", with: "max_actions: 100 per 6h")
                .replacingOccurrences(of: "max_actions_per_target: 3 per 6h", with: "max_actions_per_target: 100 per 6h")
                .replacingOccurrences(of: "max: 400", with: "max: 1000000").replacingOccurrences(of: "max: 200", with: "max: 1000000")
        }, config: "receivers:\n  oncall: { url: \"\(receiver.url.absoluteString)\", timeout: 30s }\n")
        try await daemon.socket.wait(for: { $0.hasPrefix("STATUS=7 policies") })
        try await Self.throttle(daemon)
        try await daemon.wait(for: "action-executed", policy: Self.throttling)
        // A delivery of the firing is in flight now.
        #expect(try await eventually { try await !receiver.received().isEmpty })
        let stoppedAt = Date()
        let callsAtStop = try await Self.updateTableCalls(daemon)
        #expect(try await daemon.stop(within: 20) == 0)
        let intentsAfterStop = try daemon.decisions("action-intent").filter { $0.record.at > stoppedAt.addingTimeInterval(0.2) }
        #expect(intentsAfterStop.isEmpty, "intents after SIGTERM: \(intentsAfterStop.map(\.record.detail))")
        #expect(try await Self.updateTableCalls(daemon) == callsAtStop)
        #expect(Date().timeIntervalSince(stoppedAt) < 20)
    }

    @Test func sigtermDuringAHangingFetchStopsAtOnceAndJudgesNothing() async throws {
        let daemon = try await Running(watchdog: false)
        try await daemon.socket.wait(for: { $0.hasPrefix("STATUS=7 policies") })
        // The next GetMetricData answers after 60 s.
        try await daemon.emulator.inject([.init(target: "GetMetricData", delay: 60, count: 1)])
        let before = try await daemon.emulator.calls()["GraniteServiceVersion20100801.GetMetricData"] ?? 0
        // The next fetch is at the next minute boundary.
        #expect(try await eventually(timeout: .seconds(90)) { (try await daemon.emulator.calls()["GraniteServiceVersion20100801.GetMetricData"] ?? 0) > before })
        // Well under the 10 s AWS call timeout, which a stop waiting for the fetch would need.
        let stoppedAt = Date()
        #expect(try await daemon.stop(within: 6) == 0)
        #expect(Date().timeIntervalSince(stoppedAt) < 6)
        // The cut-short fetch put no policy in error.
        #expect(try daemon.decisions("state-change").allSatisfy { $0.record.stateTo != "error" })
    }

    @Test func aSecondDaemonOnTheSameDatabaseRefusesToStart() async throws {
        let first = try await Running(watchdog: false)
        try await first.socket.wait(for: { $0.hasPrefix("STATUS=7 policies") })
        let second = try await ReflexBinary.run(["run", "--config", first.directory + "/reflex.yaml"], environment: first.emulator.environment,
                                          timeout: 15)
        #expect(second.status == 2)
        #expect(second.stderr.contains("another reflex daemon (pid \(first.process.processIdentifier)) is running on the decision log \(first.database)"),
                "\(second.stderr)")
        // The first one goes on acting, alone.
        try await Self.throttle(first)
        try await first.wait(for: "action-executed", policy: Self.throttling)
        #expect(try first.decisions("action-intent").count == 1)
        #expect(try await Self.updateTableCalls(first) == 1)
        #expect(try await first.stop() == 0)
        // Once it is gone, a new daemon takes the database.
        let third = try await Running(watchdog: false, reuse: first)
        try await third.socket.wait(for: { $0.hasPrefix("STATUS=7 policies") })
        #expect(try await third.stop() == 0)
    }

    /// A small filesystem of its own for the decision log, removed when `body` returns.
    static func withSmallFilesystem(_ body: (String) async throws -> Void) async throws {
        let mountPoint = FileManager.default.temporaryDirectory.appendingPathComponent("reflex-full-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: mountPoint, withIntermediateDirectories: true)
        try run("/bin/mount", ["-t", "tmpfs", "-o", "size=4m,mode=0700", "tmpfs", mountPoint])
        defer {
            try? run("/bin/umount", ["-l", mountPoint])
            try? FileManager.default.removeItem(atPath: mountPoint)
        }
        try await body(mountPoint)
    }

    static func run(_ executable: String, _ arguments: [String]) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw EmulatorError("\(executable) \(arguments) exited \(process.terminationStatus)") }
    }

    /// Fills the filesystem at `directory` with one file until no byte is left.
    static func fill(_ directory: String) throws -> String {
        let path = directory + "/filler"
        guard FileManager.default.createFile(atPath: path, contents: nil), let file = FileHandle(forWritingAtPath: path) else {
            throw EmulatorError("cannot create \(path)")
        }
        defer { try? file.close() }
        let chunk = Data(count: 4096)
        while (try? file.write(contentsOf: chunk)) != nil {}
        while (try? file.write(contentsOf: Data(count: 1))) != nil {}
        return path
    }

    @Test func aFullDiskDelaysDecisionsAndActionsButLosesNone() async throws {
        try await Self.withSmallFilesystem { mountPoint in
            let daemon = try await Running(watchdog: false, database: mountPoint + "/reflex.db")
            try await daemon.socket.wait(for: { $0.hasPrefix("STATUS=7 policies") })
            let filler = try Self.fill(mountPoint)
            try await Self.throttle(daemon)
            // The log cannot take anything: the daemon says it is degraded.
            let degraded = try await daemon.socket.wait(for: { $0.contains("DEGRADED: decision log unwritable") }, timeout: 30)
            try await daemon.socket.wait(for: { $0.contains("DEGRADED") }, after: degraded + 1)
            // The policy fires with the next minute, but the log refuses it: the firing was
            // refused, not missed.
            func refused() -> [Substring] {
                daemon.log.split(separator: "\n").filter { $0.contains("cannot record ") && $0.contains("not applied until the log takes writes") }
            }
            #expect(try await eventually(timeout: .seconds(90)) { refused().contains { $0.contains("\(Self.throttling) dynamodb:cart-service-carts ok -> firing") } },
                    "\(daemon.log)")
            #expect(try daemon.decisions("state-change", policy: Self.throttling).allSatisfy { $0.record.stateTo != "firing" })
            #expect(try daemon.decisions("action-intent").isEmpty)
            #expect(try await Self.updateTableCalls(daemon) == 0)

            // Space returns: the firing is recorded, then (and only then) the action.
            try FileManager.default.removeItem(atPath: filler)
            let executed = try #require(try await daemon.wait(for: "action-executed", policy: Self.throttling, timeout: 30).first)
            let changes = try daemon.decisions("state-change", policy: Self.throttling)
            let firing = try #require(changes.last { $0.record.stateTo == "firing" })
            #expect(firing.id < executed.id)
            #expect(changes.filter { $0.id < executed.id }.last?.record.stateTo == "firing")
            #expect(try daemon.decisions("daemon").contains { $0.record.reason == "log-recovered" })
            #expect(try await Self.updateTableCalls(daemon) == 1)
            #expect(try await daemon.stop() == 0)
            guard case .intact = try AuditReader(path: daemon.database).verify() else { Issue.record("chain broken"); return }
        }
    }
}
