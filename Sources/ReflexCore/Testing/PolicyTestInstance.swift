/// One resource a test of a fleet policy offers to the policy's selector, with its own series
/// and facts. The selector decides, as discovery would, whether it becomes an instance.
public struct PolicyTestInstance: Sendable {
    /// The resource's name: the table's, or the service's (the cluster is the selector's).
    public let name: String
    /// Its tags, which the selector's `tags` must match.
    public let tags: [String: String]
    /// Template variables beyond the name (`load_balancer`, `target_group`), without `${}`.
    public let variables: [String: String]
    /// Values by metric name, one per period of the metric, starting at the test's start.
    public let series: [String: [Double?]]
    /// When the resource's newest deployment was made, as an offset from the test's start.
    public let deployedAt: TimeSpan?
    /// The resource's state before the first step.
    public let snapshot: TargetSnapshot
    /// Where the instance is written, for failure messages.
    public let line: Int

    /// An instance.
    public init(name: String, tags: [String: String] = [:], variables: [String: String] = [:], series: [String: [Double?]],
                deployedAt: TimeSpan? = nil, snapshot: TargetSnapshot = TargetSnapshot(), line: Int) {
        self.name = name
        self.tags = tags
        self.variables = variables
        self.series = series
        self.deployedAt = deployedAt
        self.snapshot = snapshot
        self.line = line
    }

    /// The resource as a member of `selector`'s kind: a table of that name, or a service of
    /// that name in the selector's cluster.
    public func member(of selector: TargetSelector) -> FleetMember {
        switch selector.kind {
        case .dynamoDBTable:
            FleetMember(target: .dynamoDBTable(name: name), tags: tags, extra: variables)
        case .ecsService:
            // Policy files always name the cluster; ECS itself calls an unnamed one "default".
            FleetMember(target: .ecsService(cluster: selector.cluster ?? "default", service: name), tags: tags, extra: variables)
        }
    }
}
