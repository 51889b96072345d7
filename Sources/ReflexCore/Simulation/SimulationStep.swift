import Foundation

/// One policy's evaluation at one simulated moment, and what the pipeline decided.
public struct SimulationStep: Hashable, Sendable {
    /// The evaluation.
    public let evaluation: Evaluation
    /// The action decision when the policy was firing; nil otherwise.
    public let decision: ActionDecision?
    /// The target the policy acts on: for an instance of a fleet policy, its resource.
    public let target: Target
    /// Actions (executed or dry-run) the policy had taken on this target up to and including
    /// this step: for a fleet, the instance's own.
    public let actionsSoFar: Int
    /// The target's state after this step.
    public let snapshot: TargetSnapshot
}
