/// The AWS resource a policy acts on, and the account and region it lives in.
public struct Target: Hashable, Sendable, CustomStringConvertible {
    /// The resource, named as in its account and region.
    public enum Resource: Hashable, Sendable {
        /// An ECS service in a cluster.
        case ecsService(cluster: String, service: String)
        /// A DynamoDB table.
        case dynamoDBTable(name: String)
    }

    /// Which resource.
    public let resource: Resource
    /// Where it lives.
    public let scope: Scope

    /// The resource `resource` in `scope`.
    public init(_ resource: Resource, scope: Scope = .home) {
        self.resource = resource
        self.scope = scope
    }

    /// An ECS service.
    public static func ecsService(cluster: String, service: String, scope: Scope = .home) -> Target {
        Target(.ecsService(cluster: cluster, service: service), scope: scope)
    }

    /// A DynamoDB table.
    public static func dynamoDBTable(name: String, scope: Scope = .home) -> Target {
        Target(.dynamoDBTable(name: name), scope: scope)
    }

    /// A stable identity for guardrails and the decision log, e.g. `ecs:ecommerce/cart-service`,
    /// or with the account and region when they are not the daemon's
    /// (`dynamodb:111111111111/eu-west-1/cart`).
    public var id: String {
        switch resource {
        case let .ecsService(cluster, service): "ecs:\(scope.idPrefix)\(cluster)/\(service)"
        case let .dynamoDBTable(name): "dynamodb:\(scope.idPrefix)\(name)"
        }
    }

    /// The kind of target, as written in policy files.
    public var kind: TargetKind {
        switch resource {
        case .ecsService: .ecsService
        case .dynamoDBTable: .dynamoDBTable
        }
    }

    /// The same resource in `scope`.
    public func scoped(_ scope: Scope) -> Target {
        Target(resource, scope: scope)
    }

    public var description: String { id }
}

/// The kinds of target a policy can name, spelled as in policy files.
public enum TargetKind: String, Sendable, CaseIterable {
    case ecsService = "ecs_service"
    case dynamoDBTable = "dynamodb_table"
}

extension Target {
    /// The target an id (`ecs:[ACCOUNT/][REGION/]CLUSTER/SERVICE`,
    /// `dynamodb:[ACCOUNT/][REGION/]TABLE`) stands for, as the decision log stores it.
    public init?(id: String) {
        if id.hasPrefix("ecs:") {
            guard let (scope, names) = Scope.split(id.dropFirst(4), parts: 2) else { return nil }
            self = .ecsService(cluster: names[0], service: names[1], scope: scope)
        } else if id.hasPrefix("dynamodb:") {
            guard let (scope, names) = Scope.split(id.dropFirst(9), parts: 1) else { return nil }
            self = .dynamoDBTable(name: names[0], scope: scope)
        } else {
            return nil
        }
    }
}
