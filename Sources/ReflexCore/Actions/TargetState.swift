import Foundation

/// What a target looks like right now, as guardrails and the planner need it.
public struct TargetState: Sendable, Hashable {
    /// The fields the planner reads.
    public var snapshot: TargetSnapshot
    /// When the newest ECS deployment was created (ECS targets only).
    public let deployedAt: Date?
    /// The task definition the service runs (ECS targets only).
    public let taskDefinition: String?
    /// Whether the service's primary deployment has finished rolling out (ECS targets only).
    public let stable: Bool

    /// A target's state.
    public init(snapshot: TargetSnapshot, deployedAt: Date? = nil, taskDefinition: String? = nil, stable: Bool = true) {
        self.snapshot = snapshot
        self.deployedAt = deployedAt
        self.taskDefinition = taskDefinition
        self.stable = stable
    }
}
