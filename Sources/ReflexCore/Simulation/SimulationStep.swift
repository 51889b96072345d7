import Foundation

/// One policy's evaluation at one simulated moment, and what the pipeline decided.
public struct SimulationStep: Hashable, Sendable {
    /// The evaluation.
    public let evaluation: Evaluation
    /// The action decision when the policy was firing; nil otherwise.
    public let decision: ActionDecision?
    /// Actions (executed or dry-run) the policy had taken up to and including this step.
    public let actionsSoFar: Int
    /// The target's state after this step.
    public let snapshot: TargetSnapshot
}
