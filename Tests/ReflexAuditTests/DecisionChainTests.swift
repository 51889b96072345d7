import Foundation
import GRDB
import ReflexAudit
import ReflexCore
import Testing

struct DecisionChainTests {
    @Test func anUntouchedLogVerifies() throws {
        let (path, _) = try AuditFixtures.log(count: 20)
        #expect(try AuditReader(path: path).verify() == .intact(rows: 20, firstID: 1, lastID: 20))
    }

    @Test func anAlteredRowIsFoundAtItsID() throws {
        let (path, _) = try AuditFixtures.log(count: 20)
        try AuditFixtures.tamper(path, "UPDATE decisions SET detail = 'nothing happened' WHERE id = 7")
        #expect(try AuditReader(path: path).verify() == .broken(id: 7, problem: "row 7 does not match its hash (altered or inserted)"))
    }

    @Test func anAlteredRowWithARecomputedLookingHashStillBreaksTheNextLink() throws {
        let (path, _) = try AuditFixtures.log(count: 20)
        // Replace row 7's hash with row 8's: row 7's own check fails first.
        try AuditFixtures.tamper(path, "UPDATE decisions SET hash = (SELECT hash FROM decisions WHERE id = 8) WHERE id = 7")
        guard case let .broken(id, _) = try AuditReader(path: path).verify() else { Issue.record("not detected"); return }
        #expect(id == 7)
    }

    @Test func aDeletedRowIsFoundAtItsID() throws {
        let (path, _) = try AuditFixtures.log(count: 20)
        try AuditFixtures.tamper(path, "DELETE FROM decisions WHERE id = 12")
        #expect(try AuditReader(path: path).verify() == .broken(id: 12, problem: "row 12 is missing (removed)"))
    }

    @Test func deletingTheNewestRowGoesUnseenOnceANewRowTakesItsPlace() throws {
        let (path, store) = try AuditFixtures.log(count: 5)
        try AuditFixtures.tamper(path, "DELETE FROM decisions WHERE id = 5")
        _ = try store.append(AuditFixtures.record(6))
        // The new row links to row 4 and takes id 5: the chain itself is intact again, which is
        // why deleting the newest row is only caught while it is still the newest (see README).
        guard case .intact(rows: 5, _, _) = try AuditReader(path: path).verify() else { Issue.record("unexpected"); return }
    }

    @Test func anInsertedRowIsFoundAtItsID() throws {
        let (path, _) = try AuditFixtures.log(count: 20)
        // Make room at id 9 by shifting the later rows up, then insert a forged row there that
        // links to row 8.
        try AuditFixtures.tamper(path, """
            UPDATE decisions SET id = -id WHERE id >= 9;
            UPDATE decisions SET id = -id + 1 WHERE id < 0;
            INSERT INTO decisions (id, recorded_at, kind, policy, prev_hash, hash)
            SELECT 9, recorded_at, 'action-executed', 'p', hash, hash FROM decisions WHERE id = 8;
            """)
        #expect(try AuditReader(path: path).verify() == .broken(id: 9, problem: "row 9 does not match its hash (altered or inserted)"))
    }

    @Test func rowsCannotBeChangedThroughSQLWhileTheTriggersStand() throws {
        let (path, _) = try AuditFixtures.log(count: 3)
        let queue = try DatabaseQueue(path: path)
        #expect(throws: DatabaseError.self) { try queue.write { try $0.execute(sql: "UPDATE decisions SET detail = 'x'") } }
        #expect(throws: DatabaseError.self) { try queue.write { try $0.execute(sql: "DELETE FROM decisions WHERE id = 1") } }
    }

    @Test func aChainAcrossAPruneStillVerifies() throws {
        let (path, store) = try AuditFixtures.log(count: 30)
        let removed = try store.prune(before: AuditFixtures.start.addingTimeInterval(10.5 * 60), now: AuditFixtures.start.addingTimeInterval(3600))
        #expect(removed == 10)
        _ = try store.append(AuditFixtures.record(40))
        let reader = try AuditReader(path: path)
        // 20 kept, the prune's own record, and one more.
        #expect(try reader.verify() == .intact(rows: 22, firstID: 11, lastID: 32))
        let pruneRecord = try reader.list(DecisionFilter(kind: "pruned"), limit: 1)
        #expect(pruneRecord.first?.record.detail?.hasPrefix("removed 10 decisions") == true)
        // A second prune continues the anchor; tampering after it is still found.
        #expect(try store.prune(before: AuditFixtures.start.addingTimeInterval(20.5 * 60), now: AuditFixtures.start.addingTimeInterval(3600)) == 10)
        #expect(try reader.verify() == .intact(rows: 13, firstID: 21, lastID: 33))
        try AuditFixtures.tamper(path, "UPDATE decisions SET outcome = 'ok' WHERE id = 25")
        guard case .broken(id: 25, _) = try reader.verify() else { Issue.record("tampering after a prune not found"); return }
    }

    @Test func pruningEverythingKeepsTheChain() throws {
        let (path, store) = try AuditFixtures.log(count: 5)
        #expect(try store.prune(before: AuditFixtures.start.addingTimeInterval(86_400), now: AuditFixtures.start.addingTimeInterval(86_400)) == 5)
        _ = try store.append(AuditFixtures.record(100))
        #expect(try AuditReader(path: path).verify() == .intact(rows: 2, firstID: 6, lastID: 7))
    }
}
