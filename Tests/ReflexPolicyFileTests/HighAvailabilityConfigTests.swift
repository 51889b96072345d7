import ReflexCore
import ReflexPolicyFile
import Testing

/// The config's `ha:`: the DynamoDB table several daemons coordinate through, the lease and
/// heartbeat, and this daemon's node name; each refusal at the `file:line:col` of what is wrong.
struct HighAvailabilityConfigTests {
    static let file = "/etc/reflex/reflex.yaml"

    func parse(_ text: String, host: String = "host-a.eu-west-1.compute.internal") throws -> DaemonConfig {
        try ConfigParser.parse(text, file: Self.file, hostName: { host })
    }

    func error(_ text: String, host: String = "host-a") -> String? {
        do {
            _ = try parse(text, host: host)
            return nil
        } catch {
            return "\(error)"
        }
    }

    @Test func withoutHaTheDaemonRunsAloneAndTheHostIsNotAsked() throws {
        var asked = false
        let config = try ConfigParser.parse("policies: p\n", file: Self.file, hostName: { asked = true; return "host-a" })
        #expect(config.highAvailability == nil)
        #expect(!asked)
    }

    @Test func defaultsAreA20sLeaseA5sHeartbeatAndTheShortHostName() throws {
        let config = try parse("ha:\n  table: reflex-coordination\n")
        #expect(config.highAvailability == DaemonConfig.HighAvailability(
            table: "reflex-coordination", lease: TimeSpan(seconds: 20), heartbeat: TimeSpan(seconds: 5), node: "host-a"))
        #expect(try parse("ha: { table: t.1 }\n", host: "db7").highAvailability?.node == "db7")
    }

    @Test func everyKeyIsRead() throws {
        let config = try parse("ha:\n  table: Reflex_Coordination.prod-1\n  lease: 1m\n  heartbeat: 10s\n  node: node_2.b\n")
        #expect(config.highAvailability == DaemonConfig.HighAvailability(
            table: "Reflex_Coordination.prod-1", lease: .minutes(1), heartbeat: TimeSpan(seconds: 10), node: "node_2.b"))
        // The shortest lease: twice the heartbeat and one second.
        #expect(try parse("ha: { table: abc, lease: 11s, heartbeat: 5s }\n").highAvailability?.lease == TimeSpan(seconds: 11))
        #expect(try parse("ha: { table: \(String(repeating: "t", count: 255)), node: \(String(repeating: "n", count: 64)) }\n")
            .highAvailability?.node.count == 64)
    }

    @Test func aBadSectionOrKeyIsRefusedWhereItIsWritten() {
        #expect(error("ha: reflex-coordination\n")
            == "\(Self.file):1:5: 'ha' must be a mapping of 'table', 'lease', 'heartbeat', 'node'")
        #expect(error("ha:\n  table: t1x\n  haertbeat: 5s\n")
            == "\(Self.file):3:3: unknown key 'haertbeat' in 'ha'; did you mean 'heartbeat'?")
        #expect(error("ha:\n  lease: 20s\n") == "\(Self.file):2:3: 'ha' needs 'table'")
        #expect(error("ha:\npolicies: p\n") == "\(Self.file):1:4: 'ha' must be a mapping of 'table', 'lease', 'heartbeat', 'node'")
        #expect(error("ha:\ntable: t1x\n") == "\(Self.file):2:1: unknown key 'table' in the config; it looks meant for 'ha' on line 1, "
            + "which is empty: indent 'table' 2 spaces more than 'ha' to put it under it")
        #expect(error("haa:\n  table: t1x\n") == "\(Self.file):1:1: unknown key 'haa' in the config; did you mean 'ha'?")
    }

    @Test func aTableOrNodeOutsideTheirCharactersIsRefused() {
        let table = "is not a DynamoDB table name: 3 to 255 letters, digits, '_', '.' or '-'"
        #expect(error("ha:\n  table: ab\n") == "\(Self.file):2:10: 'ha.table': 'ab' \(table)")
        #expect(error("ha:\n  table: reflex/coordination\n") == "\(Self.file):2:10: 'ha.table': 'reflex/coordination' \(table)")
        let long = String(repeating: "t", count: 256)
        #expect(error("ha:\n  table: \(long)\n") == "\(Self.file):2:10: 'ha.table': '\(long)' \(table)")
        #expect(error("ha:\n  table: [a, b]\n") == "\(Self.file):2:10: 'ha.table' must be a single value, not a list or mapping")
        let node = "is not a node name: 1 to 64 letters, digits, '_', '.' or '-'"
        #expect(error("ha:\n  table: t1x\n  node: \"\"\n") == "\(Self.file):3:9: 'ha.node': '' \(node)")
        #expect(error("ha:\n  table: t1x\n  node: host a\n") == "\(Self.file):3:9: 'ha.node': 'host a' \(node)")
        let longNode = String(repeating: "n", count: 65)
        #expect(error("ha:\n  table: t1x\n  node: \(longNode)\n") == "\(Self.file):3:9: 'ha.node': '\(longNode)' \(node)")
        // A host whose name gives no node needs 'node' written.
        #expect(error("ha:\n  table: t1x\n", host: "")
            == "\(Self.file):2:3: 'ha' needs 'node': the host name '' does not give one (1 to 64 letters, digits, '_', '.' or '-' before its first dot)")
        #expect(error("ha:\n  table: t1x\n", host: "host a.example.com")?.hasPrefix("\(Self.file):2:3: 'ha' needs 'node'") == true)
        #expect(error("ha:\n  table: t1x\n  node: a\n", host: "") == nil)
    }

    @Test func theHeartbeatIsAtLeastASecondAndTheLeaseLeavesTimeToAct() {
        #expect(error("ha:\n  table: t1x\n  heartbeat: 0s\n") == "\(Self.file):3:14: 'ha.heartbeat' must be at least 1s, found 0s")
        #expect(error("ha:\n  table: t1x\n  heartbeat: 5\n")
            == "\(Self.file):3:14: 'ha.heartbeat' must be a duration such as 90s, 5m, 1h or 1d, found '5'")
        let why = "a leader stops acting once its last renewal is older than lease - heartbeat - the call timeout, "
            + "so a shorter lease leaves it no time to act"
        #expect(error("ha:\n  table: t1x\n  lease: 10s\n")
            == "\(Self.file):3:10: 'ha.lease' must be at least twice 'ha.heartbeat' plus 1s, 11s with heartbeat 5s, found 10s: \(why)")
        #expect(error("ha:\n  table: t1x\n  heartbeat: 2s\n  lease: -1m\n")
            == "\(Self.file):4:10: 'ha.lease' must be at least twice 'ha.heartbeat' plus 1s, 5s with heartbeat 2s, found -1m: \(why)")
        // The default lease is too short for a 10s heartbeat: the heartbeat is what to look at.
        #expect(error("ha:\n  table: t1x\n  heartbeat: 10s\n")
            == "\(Self.file):3:14: the default 'ha.lease' must be at least twice 'ha.heartbeat' plus 1s, 21s with heartbeat 10s, found 20s: \(why)")
    }

    @Test func onlyARestartAppliesAChangedHa() throws {
        let running = try parse("policies: p\nha: { table: t1x, lease: 20s }\n")
        #expect(running.settingsNeedingRestart(in: try parse("policies: p\nha: { table: t1x, lease: 30s }\n")) == ["ha"])
        #expect(running.settingsNeedingRestart(in: try parse("policies: p\nha: { table: t1x }\n", host: "host-b")) == ["ha"])
        #expect(running.settingsNeedingRestart(in: try parse("policies: p\n")) == ["ha"])
        #expect(running.settingsNeedingRestart(in: try parse("policies: other\nha: { table: t1x, lease: 20s }\n")) == [])
    }
}
