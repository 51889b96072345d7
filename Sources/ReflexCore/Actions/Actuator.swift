/// The port through which the action pipeline reads and changes targets.
public protocol Actuator: Sendable {
    /// The target's current state.
    func read(_ target: Target) async throws -> TargetState
    /// Makes `change` to `target`; returns the AWS request id of the call that made it.
    func apply(_ change: PlannedChange, to target: Target, current: TargetState) async throws -> String?
}
