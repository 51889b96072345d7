import ReflexCore
import Testing

/// The lock client's rules, driven heartbeat by heartbeat against a conditional store kept in
/// memory (the DynamoDB adapter has its own tests against the emulator).
struct LeaseElectionTests {
    /// A lease item with DynamoDB's conditional-write semantics.
    struct Table {
        var lease: LeaseRecord?
        var versions = 0

        mutating func write(_ write: LeaseElection.Write) -> Bool {
            guard lease == write.expected else { return false }
            lease = write.new
            return true
        }

        mutating func version() -> String {
            versions += 1
            return "v\(versions)"
        }
    }

    static func election(_ node: String) -> LeaseElection {
        LeaseElection(node: node, lease: .seconds(20), heartbeat: .seconds(5), callTimeout: .seconds(2))
    }

    /// One heartbeat of `node` at `now`: renew if leading, else read and maybe take.
    static func beat(_ node: inout LeaseElection, _ table: inout Table, at now: Duration) {
        if let renewal = node.renewal(version: table.version()) {
            node.wrote(renewal, accepted: table.write(renewal), sentAt: now)
        } else if let take = node.consider(table.lease, at: now, version: table.version()) {
            node.wrote(take, accepted: table.write(take), sentAt: now)
        }
    }

    @Test func theFirstNodeTakesAFreshLeaseAndAStandbyNeverTakesOneThatIsRenewed() {
        var table = Table()
        var a = Self.election("a"), b = Self.election("b")
        Self.beat(&a, &table, at: .zero)
        #expect(a.role == .leader(epoch: 1))
        for second in stride(from: 1, through: 300, by: 5) {
            Self.beat(&b, &table, at: .seconds(second))
            Self.beat(&a, &table, at: .seconds(second + 1))
            #expect(b.role == .standby(leader: "a"))
            #expect(!b.mayAct(at: .seconds(second + 1)))
            #expect(a.mayAct(at: .seconds(second + 2)))
        }
        #expect(table.lease?.holder == "a")
        #expect(table.lease?.epoch == 1)
    }

    @Test func aStandbyTakesOverOnlyAfterAWholeLeaseUnrenewedAndNeverWhileTheOldLeaderMayAct() {
        var table = Table()
        var a = Self.election("a"), b = Self.election("b")
        Self.beat(&a, &table, at: .zero)
        Self.beat(&b, &table, at: .seconds(1))
        // a renews at 5 s for the last time, then hangs (a kill -9 or a SIGSTOP).
        Self.beat(&a, &table, at: .seconds(5))
        var takenAt: Duration?
        var t = Duration.seconds(6)
        while t < .seconds(60), takenAt == nil {
            Self.beat(&b, &table, at: t)
            if b.role == .leader(epoch: 2) { takenAt = t }
            // Safety: never two nodes that may act at once.
            #expect(!(a.mayAct(at: t) && b.mayAct(at: t)))
            t += .seconds(5)
        }
        // First seen after the last renewal at 6 s, taken once 20 s passed on b's own clock.
        #expect(takenAt == .seconds(26))
        #expect(!a.mayAct(at: .seconds(5) + .seconds(13)))
        #expect(a.mayAct(at: .seconds(5) + .seconds(12)))
        // a wakes up: its renewal fails, and it knows it lost.
        Self.beat(&a, &table, at: .seconds(40))
        #expect(a.role == .standby(leader: nil))
        #expect(!a.mayAct(at: .seconds(40)))
        Self.beat(&a, &table, at: .seconds(45))
        #expect(a.role == .standby(leader: "b"))
        #expect(!a.mayAct(at: .seconds(40)))
        #expect(table.lease == LeaseRecord(holder: "b", recordVersion: table.lease?.recordVersion ?? "", epoch: 2))
    }

    @Test func aReleasedLeaseIsTakenAtTheNextReadWithTheNextEpoch() {
        var table = Table()
        var a = Self.election("a"), b = Self.election("b")
        Self.beat(&a, &table, at: .zero)
        Self.beat(&b, &table, at: .seconds(1))
        let release = a.release(version: table.version())
        #expect(release.map { table.write($0) } == true)
        a.resign()
        Self.beat(&b, &table, at: .seconds(6))
        #expect(b.role == .leader(epoch: 2))
        #expect(b.mayAct(at: .seconds(6)))
        #expect(!a.mayAct(at: .seconds(6)))
    }

    @Test func twoStandbysRacingForAReleasedLeaseMakeOneLeader() {
        var table = Table(lease: LeaseRecord(holder: nil, recordVersion: "r", epoch: 4))
        var b = Self.election("b"), c = Self.election("c")
        let takeB = b.consider(table.lease, at: .zero, version: "vb")
        let takeC = c.consider(table.lease, at: .zero, version: "vc")
        #expect(takeB != nil && takeC != nil)
        b.wrote(takeB!, accepted: table.write(takeB!), sentAt: .zero)
        c.wrote(takeC!, accepted: table.write(takeC!), sentAt: .zero)
        #expect(b.role == .leader(epoch: 5))
        #expect(c.heldRecord == nil)
        #expect(!c.mayAct(at: .zero))
    }

    @Test func aLeaderStopsActingBeforeItsLeaseCouldBeTakenAndCountsItselfDeposedAfterAWholeLease() {
        var table = Table()
        var a = Self.election("a")
        Self.beat(&a, &table, at: .seconds(100))
        // lease 20 - heartbeat 5 - call timeout 2 = 13 s to act after the renewal was sent.
        #expect(a.mayAct(at: .seconds(112)))
        #expect(!a.mayAct(at: .seconds(113)))
        #expect(!a.leaseExpired(at: .seconds(119)))
        #expect(a.leaseExpired(at: .seconds(120)))
        #expect(LeaseElection.callTimeout(heartbeat: .seconds(5)) == .milliseconds(2500))
        #expect(LeaseElection.callTimeout(heartbeat: .seconds(30)) == .seconds(5))
    }
}
