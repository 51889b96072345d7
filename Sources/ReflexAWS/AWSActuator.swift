import Foundation
import ReflexCore

/// Reads and changes targets on AWS: ECS services, their Application Auto Scaling bounds, and
/// DynamoDB tables.
public struct AWSActuator: Actuator {
    let services: AWSServices

    /// An actuator over `services`.
    public init(services: AWSServices) {
        self.services = services
    }

    /// The state of `target`, with everything any action on it needs. Without history, the
    /// rollback revision is the newest ACTIVE revision of the family below the current one.
    public func read(_ target: Target) async throws -> TargetState {
        switch target.resource {
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
            // Stable: a single deployment that finished rolling out (or, for services without
            // rollout states, runs every task it wants).
            let primary = found.newestDeployment
            let settled = primary?.rolloutState == "COMPLETED"
                || (primary?.rolloutState == nil && (primary?.desiredCount ?? 0) > 0 && primary?.runningCount == primary?.desiredCount)
            let stable = found.deployments?.count == 1 && settled
            return TargetState(snapshot: snapshot, deployedAt: found.newestDeployment?.createdAt, taskDefinition: found.taskDefinition, stable: stable)
        case let .dynamoDBTable(name):
            let table = try await services.dynamoDB.describeTable(name)
            return TargetState(snapshot: TargetSnapshot(readCapacity: table.readCapacity, writeCapacity: table.writeCapacity, onDemand: table.onDemand))
        }
    }

    public func apply(_ change: PlannedChange, to target: Target, current: TargetState) async throws -> String? {
        switch (target.resource, change) {
        case let (.ecsService(cluster, service), .rollback(_, revision)):
            guard let taskDefinition = current.taskDefinition else {
                throw AWSError.invalidResponse("\(target) reports no task definition to roll back from")
            }
            return try await services.ecs.updateService(cluster: cluster, service: service,
                                                        taskDefinition: "\(ECSClient.family(of: taskDefinition)):\(revision)",
                                                        forceNewDeployment: true)
        case let (.ecsService(cluster, service), .desiredCount(_, count)):
            return try await services.ecs.updateService(cluster: cluster, service: service, desiredCount: count)
        case let (.ecsService(cluster, service), .redeploy):
            return try await services.ecs.updateService(cluster: cluster, service: service, forceNewDeployment: true)
        case let (.ecsService(cluster, service), .scalingBounds(min, max, _, _)):
            return try await services.autoScaling.setBounds(cluster: cluster, service: service, min: min, max: max)
        case let (.dynamoDBTable(name), .capacity(read, write, _, _)):
            return try await services.dynamoDB.setCapacity(name, read: read, write: write)
        case let (.dynamoDBTable(name), .onDemand):
            return try await services.dynamoDB.switchToOnDemand(name)
        default:
            throw AWSError.invalidResponse("\(change.summary) does not apply to \(target)")
        }
    }
}
