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
