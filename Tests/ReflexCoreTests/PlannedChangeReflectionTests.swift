import Foundation
import ReflexCore
import Testing

/// Reconciliation asks whether an intent's change shows in the target: the answer must follow
/// the target, not the last value the intent named.
struct PlannedChangeReflectionTests {
    static let since = Date(timeIntervalSince1970: 1_767_225_600)

    static func state(read: Int? = nil, write: Int? = nil, desired: Int? = nil, min: Int? = nil, max: Int? = nil) -> TargetState {
        TargetState(snapshot: TargetSnapshot(desiredCount: desired, scalingMin: min, scalingMax: max, readCapacity: read, writeCapacity: write))
    }

    @Test(arguments: [
        // Exactly as asked, and raised further since (by a later action or autoscaling): made.
        (200, 100, true), (400, 200, true),
        // Still where the intent found it, or only half done: not made.
        (100, 50, false), (200, 50, false),
    ])
    func aCapacityRaiseIsMadeOnceTheTableIsAtOrPastIt(read: Int, write: Int, made: Bool) {
        let change = PlannedChange.capacity(read: 200, write: 100, fromRead: 100, fromWrite: 50)
        #expect(change.isReflected(in: Self.state(read: read, write: write), since: Self.since) == made)
    }

    @Test func countsFollowTheDirectionOfTheChange() {
        let up = PlannedChange.desiredCount(from: 4, to: 6)
        #expect(up.isReflected(in: Self.state(desired: 6), since: Self.since))
        #expect(up.isReflected(in: Self.state(desired: 8), since: Self.since))
        #expect(!up.isReflected(in: Self.state(desired: 4), since: Self.since))
        let down = PlannedChange.desiredCount(from: 6, to: 4)
        #expect(down.isReflected(in: Self.state(desired: 3), since: Self.since))
        #expect(!down.isReflected(in: Self.state(desired: 6), since: Self.since))
        let bounds = PlannedChange.scalingBounds(min: 2, max: 20, fromMin: 2, fromMax: 10)
        #expect(bounds.isReflected(in: Self.state(min: 2, max: 20), since: Self.since))
        #expect(!bounds.isReflected(in: Self.state(min: 2, max: 10), since: Self.since))
        #expect(!bounds.isReflected(in: Self.state(), since: Self.since))
    }
}
