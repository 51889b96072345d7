/// The AWS resource a policy acts on.
public enum Target: Hashable, Sendable, CustomStringConvertible {
    /// An ECS service in a cluster.
    case ecsService(cluster: String, service: String)
    /// A DynamoDB table.
    case dynamoDBTable(name: String)

    /// A stable identity for guardrails and the decision log, e.g. `ecs:ecommerce/cart-service`.
    public var id: String {
        switch self {
        case let .ecsService(cluster, service): "ecs:\(cluster)/\(service)"
        case let .dynamoDBTable(name): "dynamodb:\(name)"
        }
    }

    /// The kind of target, as written in policy files.
    public var kind: TargetKind {
        switch self {
        case .ecsService: .ecsService
        case .dynamoDBTable: .dynamoDBTable
        }
    }

    public var description: String { id }
}

/// The kinds of target a policy can name, spelled as in policy files.
public enum TargetKind: String, Sendable, CaseIterable {
    case ecsService = "ecs_service"
    case dynamoDBTable = "dynamodb_table"
}

extension Target {
    /// The target an id (`ecs:CLUSTER/SERVICE`, `dynamodb:TABLE`) stands for, as the decision
    /// log stores it.
    public init?(id: String) {
        if id.hasPrefix("ecs:") {
            let parts = id.dropFirst(4).split(separator: "/", maxSplits: 1)
            guard parts.count == 2 else { return nil }
            self = .ecsService(cluster: String(parts[0]), service: String(parts[1]))
        } else if id.hasPrefix("dynamodb:"), id.count > 9 {
            self = .dynamoDBTable(name: String(id.dropFirst(9)))
        } else {
            return nil
        }
    }
}
