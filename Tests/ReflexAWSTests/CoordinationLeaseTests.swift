import Foundation
import ReflexAWS
import ReflexCore
import ReflexTestSupport
import Testing

/// The lease item: every replacement is conditional on the record the writer last read, so a
/// stale record never overwrites, and of many racing takeovers exactly one wins.
struct CoordinationLeaseTests {
    @Test func createRenewTakeAndReleaseEachNeedTheCurrentRecord() async throws {
        let emulator = try await CoordinationFixtures.emulator()
        let store = try await CoordinationFixtures.readyStore(emulator)
        #expect(try await store.readLease() == nil)

        let first = LeaseRecord(holder: "a", recordVersion: "r1", epoch: 1)
        #expect(try await store.replaceLease(expected: nil, with: first))
        // Created once: a second creator loses.
        #expect(try await !store.replaceLease(expected: nil, with: LeaseRecord(holder: "b", recordVersion: "r1b", epoch: 1)))
        #expect(try await store.readLease() == first)

        let renewed = LeaseRecord(holder: "a", recordVersion: "r2", epoch: 1)
        #expect(try await store.replaceLease(expected: first, with: renewed))
        // The record before the renewal is stale: a takeover based on it fails and writes nothing.
        #expect(try await !store.replaceLease(expected: first, with: LeaseRecord(holder: "b", recordVersion: "r3", epoch: 2)))
        #expect(try await store.readLease() == renewed)
        // Each field counts: another epoch or holder with the current version fails too.
        #expect(try await !store.replaceLease(expected: LeaseRecord(holder: "a", recordVersion: "r2", epoch: 2),
                                              with: LeaseRecord(holder: "b", recordVersion: "x", epoch: 3)))
        #expect(try await !store.replaceLease(expected: LeaseRecord(holder: "b", recordVersion: "r2", epoch: 1),
                                              with: LeaseRecord(holder: "b", recordVersion: "x", epoch: 2)))
        #expect(try await !store.replaceLease(expected: LeaseRecord(holder: nil, recordVersion: "r2", epoch: 1),
                                              with: LeaseRecord(holder: "b", recordVersion: "x", epoch: 2)))
        #expect(try await store.readLease() == renewed)

        let taken = LeaseRecord(holder: "b", recordVersion: "r4", epoch: 2)
        #expect(try await store.replaceLease(expected: renewed, with: taken))
        let released = LeaseRecord(holder: nil, recordVersion: "r5", epoch: 2)
        #expect(try await store.replaceLease(expected: taken, with: released))
        #expect(try await store.readLease() == released)
        // A released lease is taken only by a writer that saw it released.
        #expect(try await !store.replaceLease(expected: taken, with: LeaseRecord(holder: "b", recordVersion: "r6", epoch: 2)))
        #expect(try await !store.replaceLease(expected: LeaseRecord(holder: "b", recordVersion: "r5", epoch: 2),
                                              with: LeaseRecord(holder: "b", recordVersion: "r6", epoch: 2)))
        let retaken = LeaseRecord(holder: "a", recordVersion: "r7", epoch: 3)
        #expect(try await store.replaceLease(expected: released, with: retaken))
        #expect(try await store.readLease() == retaken)
        try await CoordinationFixtures.expectValidRequests(emulator)
    }

    @Test func ofManyRacingTakeoversExactlyOneWins() async throws {
        let emulator = try await CoordinationFixtures.emulator()
        let store = try await CoordinationFixtures.readyStore(emulator)
        let current = LeaseRecord(holder: "old", recordVersion: "r0", epoch: 4)
        #expect(try await store.replaceLease(expected: nil, with: current))

        let racers = 12
        let winners = try await withThrowingTaskGroup(of: String?.self) { group in
            for index in 0..<racers {
                // A client of its own for each node.
                let node = CoordinationFixtures.store(emulator)
                group.addTask {
                    let mine = LeaseRecord(holder: "node-\(index)", recordVersion: UUID().uuidString, epoch: 5)
                    return try await node.replaceLease(expected: current, with: mine) ? mine.holder : nil
                }
            }
            var winners: [String] = []
            for try await winner in group { winner.map { winners.append($0) } }
            return winners
        }
        #expect(winners.count == 1, "\(winners)")
        #expect(try await store.readLease()?.holder == winners.first)
        #expect(try await emulator.calls()["DynamoDB_20120810.PutItem"] == racers + 1)
        try await CoordinationFixtures.expectValidRequests(emulator)
    }
}
