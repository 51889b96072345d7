import Foundation
import ReflexCore

/// What a target looks like right now, as guardrails and the planner need it.
public struct TargetState: Sendable, Hashable {
    /// The fields the planner reads.
    public let snapshot: TargetSnapshot
    /// When the newest ECS deployment was created (ECS targets only).
    public let deployedAt: Date?
    /// The task definition ARN the service runs (ECS targets only).
    public let taskDefinition: String?
}

/// Reads a target's current state from AWS.
public struct TargetReader: Sendable {
    let services: AWSServices

    /// A reader over `services`.
    public init(services: AWSServices) {
        self.services = services
    }

    /// The state of `target`, with everything any action on it needs. Without history, the
    /// rollback revision is the newest ACTIVE revision of the family below the current one.
    public func read(_ target: Target) async throws -> TargetState {
        switch target {
        case let .ecsService(cluster, service):
            let found = try await services.ecs.describeService(cluster: cluster, service: service)
            let revision = found.taskDefinition.flatMap(ECSClient.revision(of:))
            var snapshot = TargetSnapshot(desiredCount: found.desiredCount, revision: revision)
            if let taskDefinition = found.taskDefinition, let revision {
                let revisions = try await services.ecs.activeRevisions(family: ECSClient.family(of: taskDefinition))
                snapshot.rollbackRevision = revisions.compactMap(ECSClient.revision(of:)).filter { $0 < revision }.max()
            }
            if let bounds = try await services.autoScaling.bounds(cluster: cluster, service: service) {
                snapshot.scalingMin = bounds.min
                snapshot.scalingMax = bounds.max
            }
            return TargetState(snapshot: snapshot, deployedAt: found.newestDeployment?.createdAt, taskDefinition: found.taskDefinition)
        case let .dynamoDBTable(name):
            let table = try await services.dynamoDB.describeTable(name)
            return TargetState(snapshot: TargetSnapshot(readCapacity: table.readCapacity, writeCapacity: table.writeCapacity, onDemand: table.onDemand),
                               deployedAt: nil, taskDefinition: nil)
        }
    }
}
