import Foundation
import ReflexAudit
import ReflexTestSupport
import Testing

/// The real daemon paging through a `format: pagerduty` receiver: the local receiver checks each
/// event as PagerDuty's Events API v2 would and answers as it does.
@Suite(.serialized)
struct PagerDutyDaemonTests {
    static let routingKey = "R0utingKey0123456789abcdefABCDEF"
    static let policy = "cart-throttling-page"

    /// Pages while cart-service's table is throttled, on 10-second periods so that an episode
    /// opens and ends within seconds; no action.
    static let pagingPolicy = """
        policies:
          - name: \(policy)
            description: Page while cart-service-carts is throttled.
            metrics:
              throttles: { namespace: AWS/DynamoDB, metric: ThrottledRequests,
                           dimensions: { TableName: cart-service-carts }, stat: Sum, period: 10s }
            condition: throttles > 10
            for: 10s
            missing_data: not-breaching
            target:
              dynamodb_table: { name: cart-service-carts }
            notify: [pager]

        """

    @Test func aFiringEpisodeTriggersThenResolvesOneAlertAndTheRoutingKeyStaysOutOfLogsAndDatabase() async throws {
        let receiver = try WebhookReceiver.start()
        try await receiver.checkPagerDuty(routingKey: Self.routingKey)
        // PagerDuty throttles the first event, and quotes the key back in its answer.
        try await receiver.script([.init(429, retryAfter: "1", body: "throttled: \(Self.routingKey)")])
        let keys = FileManager.default.temporaryDirectory.appendingPathComponent("reflex-pagerduty-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: keys, withIntermediateDirectories: true)
        #expect(FileManager.default.createFile(atPath: keys + "/pagerduty.key", contents: Data((Self.routingKey + "\n").utf8),
                                               attributes: [.posixPermissions: 0o600]))
        let daemon = try await Running(watchdog: false, edit: { $0 = ["page.yaml": Self.pagingPolicy] }, config: """
            receivers:
              pager: { format: pagerduty, routing_key_file: \(keys)/pagerduty.key, url: "\(receiver.url.absoluteString)" }

            """)
        // Throttling in every 10-second period of the last minute, none from now on: taken once
        // the daemon runs, so that a slow start cannot leave the data behind the judged periods.
        let now = Int(Date().timeIntervalSince1970)
        let periods = (0...6).map { Date(timeIntervalSince1970: Double(now - now % 10 - $0 * 10)) }
        try await daemon.emulator.putMetricData(namespace: "AWS/DynamoDB", metric: "ThrottledRequests",
                                                dimensions: ["TableName": "cart-service-carts"], points: periods.map { ($0, 40) })

        let fired = try #require(try await daemon.wait(for: "state-change", policy: Self.policy) { $0.record.stateTo == "firing" }.first)
        try await daemon.wait(for: "state-change", policy: Self.policy) { $0.record.stateFrom == "firing" && $0.record.stateTo == "ok" }
        #expect(try await eventually(timeout: .seconds(30)) { try await receiver.received().filter { $0.status == 202 }.count == 2 })
        #expect(try await daemon.stop() == 0)

        let received = try await receiver.received()
        #expect(received.map(\.status) == [429, 202, 202])
        #expect(received.map(\.pagerduty_errors) == [[], [], []], "\(received.map(\.body))")
        let events = try received.map { try #require(try JSONSerialization.jsonObject(with: Data($0.body.utf8)) as? [String: Any]) }
        #expect(events.map { $0["event_action"] as? String } == ["trigger", "trigger", "resolve"])
        let key = "reflex/\(Self.policy)/dynamodb:cart-service-carts/\(fired.id)"
        #expect(events.map { $0["dedup_key"] as? String } == [key, key, key])
        let payload = events.first?["payload"] as? [String: Any]
        #expect(payload?["severity"] as? String == "error")
        #expect(payload?["source"] as? String == "dynamodb:cart-service-carts")
        let rows = try AuditReader(path: daemon.database).deliveries(limit: 10)
        #expect(rows.map(\.state) == ["delivered", "delivered"])
        #expect(rows.map(\.attempts) == [1, 2])

        // The daemon logged the throttled attempt, with the key masked; the key is in no file of
        // the decision log (database, WAL, lock).
        #expect(daemon.log.contains("throttled: [routing key]"), "\(daemon.log)")
        #expect(!daemon.log.contains(Self.routingKey))
        let files = try FileManager.default.contentsOfDirectory(atPath: daemon.directory).filter { $0.hasPrefix("reflex.db") }
        #expect(files.contains("reflex.db"))
        for file in files {
            let bytes = try Data(contentsOf: URL(fileURLWithPath: daemon.directory + "/" + file))
            #expect(bytes.range(of: Data(Self.routingKey.utf8)) == nil, "\(file) holds the routing key")
        }
    }

    @Test func aRoutingKeyFileOthersCanReadIsRefusedAtStart() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("reflex-pagerduty-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory + "/policies", withIntermediateDirectories: true)
        #expect(FileManager.default.createFile(atPath: directory + "/pagerduty.key", contents: Data(Self.routingKey.utf8),
                                               attributes: [.posixPermissions: 0o644]))
        try """
            region: us-east-1
            policies: policies
            allow_no_policies: true
            database: reflex.db
            receivers:
              pager: { format: pagerduty, routing_key_file: pagerduty.key }

            """.write(toFile: directory + "/reflex.yaml", atomically: true, encoding: .utf8)
        let outcome = try await ReflexBinary.run(["run", "--config", directory + "/reflex.yaml"], timeout: 30)
        #expect(outcome.status == 2)
        #expect(outcome.stderr.contains("reflex run: receiver 'pager': routing_key_file \(directory)/pagerduty.key is open to others "
            + "or writable by its group (mode 644); make it 0640 or 0600"), "\(outcome.stderr)")
        #expect(!outcome.stderr.contains(Self.routingKey) && !outcome.stdout.contains(Self.routingKey))
    }
}

private typealias Running = DaemonTests.Running
