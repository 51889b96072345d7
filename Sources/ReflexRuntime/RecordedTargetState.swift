import Foundation
import ReflexCore

/// A target's state as action records keep it (`state_before`): the snapshot's fields, and
/// for an ECS service the task definition it ran and when its newest deployment began.
struct RecordedTargetState: Encodable {
    let snapshot: TargetSnapshot
    let taskDefinition: String?
    let deployedAt: Date?

    init(_ state: TargetState) {
        snapshot = state.snapshot
        taskDefinition = state.taskDefinition
        deployedAt = state.deployedAt
    }

    /// A state known only by its snapshot (an approval's `planned_against`).
    init(_ snapshot: TargetSnapshot) {
        self.snapshot = snapshot
        taskDefinition = nil
        deployedAt = nil
    }

    private enum Keys: String, CodingKey { case taskDefinition, deployedAt }

    /// One flat object: the snapshot's keys beside the two of the state.
    func encode(to encoder: any Encoder) throws {
        try snapshot.encode(to: encoder)
        var container = encoder.container(keyedBy: Keys.self)
        try container.encodeIfPresent(taskDefinition, forKey: .taskDefinition)
        try container.encodeIfPresent(deployedAt, forKey: .deployedAt)
    }
}

/// What an executed action changed (`change`): the change AWS accepted, and the target as the
/// change leaves it (computed from `state_before`, not read again).
struct MadeChange: Encodable {
    let change: PlannedChange
    let after: TargetSnapshot
}
