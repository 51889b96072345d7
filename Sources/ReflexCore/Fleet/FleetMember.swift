/// A resource found by discovery: its target, its tags, and the values of the template
/// variables its policies may use in metric dimensions.
public struct FleetMember: Hashable, Sendable {
    /// The resource, as actions address it.
    public private(set) var target: Target
    /// Its tags.
    public let tags: [String: String]
    /// Template variables by name without `${}` (`table`; `cluster`, `service`, and for a
    /// service behind a load balancer `load_balancer`, `target_group`).
    public let variables: [String: String]

    /// A member; the target's own variables (`table`, or `cluster` and `service`) are filled
    /// in from the target, `extra` adds the others.
    public init(target: Target, tags: [String: String] = [:], extra: [String: String] = [:]) {
        self.target = target
        self.tags = tags
        var variables = extra
        switch target.resource {
        case let .dynamoDBTable(name):
            variables["table"] = name
        case let .ecsService(cluster, service):
            variables["cluster"] = cluster
            variables["service"] = service
        }
        self.variables = variables
    }

    /// The resource's own name: the table's, or the service's.
    public var name: String {
        switch target.resource {
        case let .dynamoDBTable(name): name
        case let .ecsService(_, service): service
        }
    }

    /// The same member, found in `scope`.
    public func scoped(_ scope: Scope) -> FleetMember {
        var member = self
        member.target = target.scoped(scope)
        return member
    }
}
