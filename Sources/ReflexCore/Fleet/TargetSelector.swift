/// Which resources a fleet policy covers: every resource of one kind that matches all the
/// criteria given. Each match is an instance of the policy.
public struct TargetSelector: Hashable, Sendable, CustomStringConvertible {
    /// The kind of resource.
    public let kind: TargetKind
    /// For ECS services, the cluster to look in.
    public let cluster: String?
    /// Tags every match must carry with exactly these values.
    public let tags: [String: String]
    /// A glob every match's name must match; nil matches every name.
    public let name: Glob?
    /// Names left out even when they match.
    public let exclude: Set<String>
    /// The account and region to look in.
    public private(set) var scope: Scope = .home

    /// A selector; ECS selectors name their cluster.
    public init(kind: TargetKind, cluster: String? = nil, tags: [String: String] = [:], name: Glob? = nil, exclude: Set<String> = []) {
        self.kind = kind
        self.cluster = cluster
        self.tags = tags
        self.name = name
        self.exclude = exclude
    }

    /// The same selector, looking in `scope`.
    public func scoped(_ scope: Scope) -> TargetSelector {
        var selector = self
        selector.scope = scope
        return selector
    }

    /// Whether a resource named `name` (the table or service name) carrying `tags` is covered.
    public func matches(name resourceName: String, tags resourceTags: [String: String]) -> Bool {
        guard !exclude.contains(resourceName), name?.matches(resourceName) ?? true else { return false }
        return tags.allSatisfy { resourceTags[$0.key] == $0.value }
    }

    /// The candidates the selector covers, sorted by target id so that every run sees a fleet
    /// in the same order.
    public func select(_ candidates: [FleetMember]) -> [FleetMember] {
        candidates.filter { member in
            member.target.kind == kind && member.target.scope == scope && (cluster == nil || member.variables["cluster"] == cluster)
                && matches(name: member.name, tags: member.tags)
        }
        .sorted { $0.target.id < $1.target.id }
    }

    /// The target of a fleet policy as written: the kind's target with its name variable
    /// unresolved (`dynamodb:${table}`, `ecs:CLUSTER/${service}`); each instance resolves it.
    public var templateTarget: Target {
        switch kind {
        case .dynamoDBTable: .dynamoDBTable(name: "${table}")
        case .ecsService: .ecsService(cluster: cluster ?? "${cluster}", service: "${service}")
        }
    }

    /// A stable one-line form, e.g. `dynamodb_table{name=cart-*, tags={team=cart}, exclude=[cart-legacy]}`.
    public var description: String {
        var parts: [String] = []
        if let cluster { parts.append("cluster=\(cluster)") }
        if let name { parts.append("name=\(name)") }
        if !tags.isEmpty { parts.append("tags={" + tags.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ", ") + "}") }
        if !exclude.isEmpty { parts.append("exclude=[" + exclude.sorted().joined(separator: ", ") + "]") }
        let scoping = scope.isHome ? "" : " in \(scope)"
        return "\(kind.rawValue){\(parts.joined(separator: ", "))}" + scoping
    }
}

extension TargetKind {
    /// The template variables a fleet policy over this kind may use in dimension values.
    public var templateVariables: [String] {
        switch self {
        case .dynamoDBTable: ["table"]
        case .ecsService: ["cluster", "service", "load_balancer", "target_group"]
        }
    }
}
