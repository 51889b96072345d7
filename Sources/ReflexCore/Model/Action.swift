/// What a policy does when it fires. One action per policy; a policy without one only notifies.
public enum Action: Hashable, Sendable {
    /// Point an ECS service back at an earlier task definition revision.
    case ecsRollback(RollbackTarget, waitStable: TimeSpan?)
    /// Change an ECS service's desired count, clamped to `bounds`.
    case ecsScale(ScaleChange, bounds: CountBounds)
    /// Force a new deployment of the current task definition.
    case ecsRedeploy
    /// Change a provisioned DynamoDB table's read and/or write capacity.
    case dynamoDBCapacity(read: CapacityChange?, write: CapacityChange?)
    /// Switch a DynamoDB table to on-demand billing.
    case dynamoDBOnDemand
    /// Set an ECS service's Application Auto Scaling minimum and maximum.
    case autoscalingBounds(CountBounds)

    /// The action's name as written in policy files.
    public var kind: ActionKind {
        switch self {
        case .ecsRollback: .ecsRollback
        case .ecsScale: .ecsScale
        case .ecsRedeploy: .ecsRedeploy
        case .dynamoDBCapacity: .dynamoDBCapacity
        case .dynamoDBOnDemand: .dynamoDBOnDemand
        case .autoscalingBounds: .autoscalingBounds
        }
    }
}

/// The action kinds, spelled as in policy files, with the target kind each one fits.
public enum ActionKind: String, Sendable, CaseIterable {
    case ecsRollback = "ecs_rollback"
    case ecsScale = "ecs_scale"
    case ecsRedeploy = "ecs_redeploy"
    case dynamoDBCapacity = "dynamodb_capacity"
    case dynamoDBOnDemand = "dynamodb_on_demand"
    case autoscalingBounds = "autoscaling_bounds"

    /// The only target kind this action can act on.
    public var targetKind: TargetKind {
        switch self {
        case .ecsRollback, .ecsScale, .ecsRedeploy, .autoscalingBounds: .ecsService
        case .dynamoDBCapacity, .dynamoDBOnDemand: .dynamoDBTable
        }
    }
}

/// Which revision a rollback goes to.
public enum RollbackTarget: String, Hashable, Sendable, CaseIterable {
    /// The newest revision Reflex saw serve stably, else the previous ACTIVE revision.
    case lastKnownGood = "last-known-good"
    /// The revision before the current one in the task definition family.
    case previousRevision = "previous-revision"
}

/// How to change an ECS service's desired count.
public enum ScaleChange: Hashable, Sendable {
    /// Add (or, if negative, remove) this many tasks.
    case by(Int)
    /// Set exactly this many tasks.
    case to(Int)
    /// Multiply by this factor, rounding up.
    case factor(Double)
}

/// Inclusive lower and upper limits on a count; either may be absent.
public struct CountBounds: Hashable, Sendable {
    /// The smallest allowed value, if any.
    public let min: Int?
    /// The largest allowed value, if any.
    public let max: Int?

    /// Bounds `min...max`; either end may be open.
    public init(min: Int?, max: Int?) {
        self.min = min
        self.max = max
    }

    /// `value` moved inside the bounds.
    public func clamp(_ value: Int) -> Int {
        var clamped = value
        if let max { clamped = Swift.min(clamped, max) }
        if let min { clamped = Swift.max(clamped, min) }
        return clamped
    }
}

/// How to change one DynamoDB capacity dimension: by a factor, to a value, or by an amount,
/// never above `max`.
public struct CapacityChange: Hashable, Sendable {
    /// The change itself.
    public enum Amount: Hashable, Sendable {
        case factor(Double)
        case to(Int)
        case by(Int)
    }

    /// The requested change.
    public let amount: Amount
    /// The ceiling the result is clamped to, if any.
    public let max: Int?

    /// A change with an optional ceiling.
    public init(amount: Amount, max: Int?) {
        self.amount = amount
        self.max = max
    }
}
