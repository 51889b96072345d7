import ReflexCore
import Testing

struct ActionPlannerTests {
    @Test(arguments: [
        (ScaleChange.by(2), 4, PlannedChange.desiredCount(from: 4, to: 6)),
        (.by(20), 4, .desiredCount(from: 4, to: 10)),
        (.by(-5), 4, .desiredCount(from: 4, to: 2)),
        (.to(7), 4, .desiredCount(from: 4, to: 7)),
        (.factor(1.5), 5, .desiredCount(from: 5, to: 8)),
    ])
    func scalesWithinBounds(change: ScaleChange, current: Int, expected: PlannedChange) {
        let plan = ActionPlanner.plan(.ecsScale(change, bounds: CountBounds(min: 2, max: 10)), on: TargetSnapshot(desiredCount: current))
        #expect(plan == .success(expected))
    }

    @Test func scalingAtTheBoundChangesNothing() {
        let plan = ActionPlanner.plan(.ecsScale(.by(2), bounds: CountBounds(min: 2, max: 10)), on: TargetSnapshot(desiredCount: 10))
        guard case let .failure(.noChange(why)) = plan else { Issue.record("expected no change, got \(plan)"); return }
        #expect(why.contains("already 10"))
    }

    @Test func capacityIsRaisedByFactorUpToItsCeiling() {
        let action = Action.dynamoDBCapacity(read: CapacityChange(amount: .factor(2), max: 300), write: CapacityChange(amount: .to(80), max: nil))
        #expect(ActionPlanner.plan(action, on: TargetSnapshot(readCapacity: 100, writeCapacity: 50))
            == .success(.capacity(read: 200, write: 80, fromRead: 100, fromWrite: 50)))
        #expect(ActionPlanner.plan(action, on: TargetSnapshot(readCapacity: 200, writeCapacity: 80))
            == .success(.capacity(read: 300, write: 80, fromRead: 200, fromWrite: 80)))
        guard case .failure(.noChange) = ActionPlanner.plan(action, on: TargetSnapshot(readCapacity: 300, writeCapacity: 80)) else {
            Issue.record("at the ceiling nothing changes"); return
        }
        // Already above the ceiling: never lowered by a "raise" action.
        guard case .failure(.noChange) = ActionPlanner.plan(action, on: TargetSnapshot(readCapacity: 500, writeCapacity: 80)) else {
            Issue.record("above the ceiling nothing changes"); return
        }
    }

    @Test(arguments: [CapacityChange.Amount.factor(1e-300), .factor(0.5), .by(-1_000_000), .by(0)])
    func aCapacityRaiseNeverLowers(amount: CapacityChange.Amount) {
        let action = Action.dynamoDBCapacity(read: CapacityChange(amount: amount, max: nil), write: CapacityChange(amount: amount, max: 10))
        let plan = ActionPlanner.plan(action, on: TargetSnapshot(readCapacity: 100, writeCapacity: 50))
        guard case let .failure(.noChange(why)) = plan else { Issue.record("\(amount) planned \(plan)"); return }
        #expect(why.contains("read 100, write 50"))
    }

    @Test func onDemandTablesAreLeftAlone() {
        let action = Action.dynamoDBCapacity(read: CapacityChange(amount: .factor(2), max: nil), write: nil)
        guard case .failure(.noChange) = ActionPlanner.plan(action, on: TargetSnapshot(readCapacity: 5, writeCapacity: 5, onDemand: true)) else {
            Issue.record("on-demand table got capacity"); return
        }
        guard case .failure(.noChange) = ActionPlanner.plan(.dynamoDBOnDemand, on: TargetSnapshot(onDemand: true)) else {
            Issue.record("on-demand table switched again"); return
        }
        #expect(ActionPlanner.plan(.dynamoDBOnDemand, on: TargetSnapshot(onDemand: false)) == .success(.onDemand))
    }

    @Test func rollbackNeedsAnotherRevision() {
        let action = Action.ecsRollback(.lastKnownGood, waitStable: nil)
        #expect(ActionPlanner.plan(action, on: TargetSnapshot(revision: 3, rollbackRevision: 2)) == .success(.rollback(from: 3, to: 2)))
        guard case .failure(.noChange) = ActionPlanner.plan(action, on: TargetSnapshot(revision: 2, rollbackRevision: 2)),
              case .failure(.noChange) = ActionPlanner.plan(action, on: TargetSnapshot(revision: 2)) else {
            Issue.record("rollback without a different revision"); return
        }
    }

    @Test func scalingBoundsChangeOnlyWhenDifferent() {
        let action = Action.autoscalingBounds(CountBounds(min: 3, max: 20))
        #expect(ActionPlanner.plan(action, on: TargetSnapshot(scalingMin: 2, scalingMax: 10))
            == .success(.scalingBounds(min: 3, max: 20, fromMin: 2, fromMax: 10)))
        guard case .failure(.noChange) = ActionPlanner.plan(action, on: TargetSnapshot(scalingMin: 3, scalingMax: 20)) else {
            Issue.record("same bounds sent again"); return
        }
    }
}
