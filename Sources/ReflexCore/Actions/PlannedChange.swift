import Foundation

/// The concrete change an action makes to a target, computed from its current state.
public enum PlannedChange: Hashable, Sendable, Codable {
    /// Point the service at another revision.
    case rollback(from: Int, to: Int)
    /// Set the service's desired count.
    case desiredCount(from: Int, to: Int)
    /// Force a new deployment.
    case redeploy
    /// Set the table's provisioned capacity.
    case capacity(read: Int, write: Int, fromRead: Int, fromWrite: Int)
    /// Switch the table to on-demand billing.
    case onDemand
    /// Set the scalable target's bounds.
    case scalingBounds(min: Int, max: Int, fromMin: Int?, fromMax: Int?)

    /// The snapshot after the change, as a simulation assumes it succeeded.
    public func applied(to snapshot: TargetSnapshot) -> TargetSnapshot {
        var after = snapshot
        switch self {
        case let .rollback(_, to): after.revision = to
        case let .desiredCount(_, to): after.desiredCount = to
        case .redeploy: break
        case let .capacity(read, write, _, _): after.readCapacity = read; after.writeCapacity = write
        case .onDemand: after.onDemand = true
        case let .scalingBounds(min, max, _, _): after.scalingMin = min; after.scalingMax = max
        }
        return after
    }

    /// A one-line description, e.g. `desired count 4 -> 6`.
    public var summary: String {
        switch self {
        case let .rollback(from, to): "task definition revision \(from) -> \(to)"
        case let .desiredCount(from, to): "desired count \(from) -> \(to)"
        case .redeploy: "force a new deployment"
        case let .capacity(read, write, fromRead, fromWrite): "capacity read \(fromRead) -> \(read), write \(fromWrite) -> \(write)"
        case .onDemand: "billing mode -> on-demand"
        case let .scalingBounds(min, max, fromMin, fromMax):
            "scaling bounds \(fromMin.map(String.init) ?? "?")..\(fromMax.map(String.init) ?? "?") -> \(min)..\(max)"
        }
    }
}

extension PlannedChange {
    /// Whether `state` shows this change made (for a redeploy: a deployment newer than
    /// `since`). Used to reconcile an intent whose outcome was never recorded. A count or
    /// capacity found past the change's value in its direction (raised further since, by a
    /// later action or by autoscaling) counts as made: the target moved away from where the
    /// intent found it, which is what the intent asked for.
    public func isReflected(in state: TargetState, since: Date) -> Bool {
        let snapshot = state.snapshot
        switch self {
        case let .rollback(_, to): return snapshot.revision == to
        case let .desiredCount(from, to): return Self.reached(snapshot.desiredCount, from: from, to: to)
        case .redeploy: return state.deployedAt.map { $0 >= since } ?? false
        case let .capacity(read, write, fromRead, fromWrite):
            return Self.reached(snapshot.readCapacity, from: fromRead, to: read) && Self.reached(snapshot.writeCapacity, from: fromWrite, to: write)
        case .onDemand: return snapshot.onDemand == true
        case let .scalingBounds(min, max, fromMin, fromMax):
            return Self.reached(snapshot.scalingMin, from: fromMin ?? min, to: min) && Self.reached(snapshot.scalingMax, from: fromMax ?? max, to: max)
        }
    }

    /// Whether `current` is at `to`, or beyond it on the way from `from`.
    private static func reached(_ current: Int?, from: Int, to: Int) -> Bool {
        guard let current else { return false }
        if to > from { return current >= to }
        if to < from { return current <= to }
        return current == to
    }
}
