/// Turns an action and the target's current state into the concrete change, or into the reason
/// there is nothing to do (already at the bound, already on that revision). Pure.
public enum ActionPlanner {
    /// The change `action` would make to a target in state `snapshot`.
    public static func plan(_ action: Action, on snapshot: TargetSnapshot) -> Result<PlannedChange, HoldReason> {
        switch action {
        case .ecsRollback:
            guard let current = snapshot.revision else { return .failure(.noChange("current revision unknown")) }
            guard let target = snapshot.rollbackRevision else { return .failure(.noChange("no earlier revision to roll back to")) }
            guard target != current else { return .failure(.noChange("already on revision \(current)")) }
            return .success(.rollback(from: current, to: target))
        case let .ecsScale(change, bounds):
            guard let current = snapshot.desiredCount else { return .failure(.noChange("desired count unknown")) }
            let wanted: Int
            switch change {
            case let .by(amount): wanted = current + amount
            case let .to(value): wanted = value
            case let .factor(factor): wanted = Int((Double(current) * factor).rounded(.up))
            }
            let next = bounds.clamp(max(wanted, 0))
            guard next != current else { return .failure(.noChange("desired count already \(current) (bounds \(describe(bounds)))")) }
            return .success(.desiredCount(from: current, to: next))
        case .ecsRedeploy:
            return .success(.redeploy)
        case let .dynamoDBCapacity(read, write):
            if snapshot.onDemand == true { return .failure(.noChange("table bills on demand")) }
            guard let currentRead = snapshot.readCapacity, let currentWrite = snapshot.writeCapacity else {
                return .failure(.noChange("provisioned capacity unknown"))
            }
            let nextRead = read.map { apply($0, to: currentRead) } ?? currentRead
            let nextWrite = write.map { apply($0, to: currentWrite) } ?? currentWrite
            guard nextRead != currentRead || nextWrite != currentWrite else {
                return .failure(.noChange("capacity already read \(currentRead), write \(currentWrite)"))
            }
            return .success(.capacity(read: nextRead, write: nextWrite, fromRead: currentRead, fromWrite: currentWrite))
        case .dynamoDBOnDemand:
            if snapshot.onDemand == true { return .failure(.noChange("table already bills on demand")) }
            return .success(.onDemand)
        case let .autoscalingBounds(bounds):
            let min = bounds.min ?? snapshot.scalingMin ?? 1
            let max = bounds.max ?? snapshot.scalingMax ?? min
            guard min != snapshot.scalingMin || max != snapshot.scalingMax else {
                return .failure(.noChange("scaling bounds already \(min)..\(max)"))
            }
            return .success(.scalingBounds(min: min, max: max, fromMin: snapshot.scalingMin, fromMax: snapshot.scalingMax))
        }
    }

    private static func apply(_ change: CapacityChange, to current: Int) -> Int {
        let wanted: Int
        switch change.amount {
        // A factor or a step is a raise: whatever slipped past the policy reader (a factor
        // below one, a negative step), it never lowers capacity.
        case let .factor(factor): wanted = max(Int((Double(current) * factor).rounded(.up)), current)
        case let .to(value): wanted = value
        case let .by(amount): wanted = max(current + amount, current)
        }
        // Never lower capacity past the ceiling only because the table was already above it.
        guard let ceiling = change.max else { return max(wanted, 1) }
        return max(min(wanted, max(ceiling, current)), 1)
    }

    private static func describe(_ bounds: CountBounds) -> String {
        "\(bounds.min.map(String.init) ?? "-")..\(bounds.max.map(String.init) ?? "-")"
    }
}
