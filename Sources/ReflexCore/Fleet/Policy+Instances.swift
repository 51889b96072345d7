extension Policy {
    /// Whether the policy covers a fleet (its target is a selector).
    public var isFleet: Bool { selector != nil }

    /// Whether the policy can have more than one instance: a fleet, or a policy over one named
    /// target in several accounts or regions. Each instance is then known by its target.
    public var hasManyInstances: Bool { isFleet || scopes.count > 1 }

    /// What identifies one instance of the policy: its name for a policy with one instance,
    /// the name and the instance's target otherwise (`cart-throttling dynamodb:cart`).
    public var instanceKey: String {
        hasManyInstances ? Self.instanceKey(policy: name, target: target) : name
    }

    /// The key of the instance of fleet policy `policy` on `target`.
    public static func instanceKey(policy: String, target: Target) -> String {
        instanceKey(policy: policy, targetID: target.id)
    }

    /// The key of the instance of fleet policy `policy` on the target with id `targetID` (as
    /// the decision log records it).
    public static func instanceKey(policy: String, targetID: String) -> String {
        "\(policy) \(targetID)"
    }

    /// The template variables the policy's metric dimensions use.
    public var templateVariables: Set<String> {
        Set(metrics.flatMap { metric in
            (metric.query.dimensions.map(\.value) + metric.query.source.templateTexts).flatMap { TemplateText.variables(in: $0).map(\.name) }
        })
    }

    /// The instances of a policy over one named target: one per account and region it covers.
    public var scopeInstances: [Policy] {
        scopes.map(scoped)
    }

    /// The fleet selector once per account and region the policy covers: one discovery each.
    public var selectors: [TargetSelector] {
        guard let selector else { return [] }
        return scopes.map(selector.scoped)
    }

    /// The policy with its target and series in `scope`.
    public func scoped(_ scope: Scope) -> Policy {
        var instance = self
        instance.target = target.scoped(scope)
        instance.metrics = metrics.map { NamedMetric(name: $0.name, query: $0.query.scoped(scope)) }
        return instance
    }

    /// The instance of this fleet policy for `member`: the member as its target and every
    /// `${variable}` in its dimensions (and its other sources' names and URLs) resolved, read
    /// in the member's account and region. Nil when the member lacks a variable the policy
    /// uses (a service with no target group for a `${target_group}` policy).
    public func instance(for member: FleetMember) -> Policy? {
        var resolved: [NamedMetric] = []
        for metric in metrics {
            var dimensions: [MetricQuery.Dimension] = []
            for dimension in metric.query.dimensions {
                guard let value = TemplateText.resolve(dimension.value, with: member.variables) else { return nil }
                dimensions.append(MetricQuery.Dimension(name: dimension.name, value: value))
            }
            let query = metric.query
            guard query.isCloudWatch else {
                guard let source = query.source.resolved(with: member.variables) else { return nil }
                resolved.append(NamedMetric(name: metric.name, query: MetricQuery(source: source, period: query.period).scoped(member.target.scope)))
                continue
            }
            resolved.append(NamedMetric(name: metric.name, query: MetricQuery(namespace: query.namespace, metric: query.metric,
                                                                               dimensions: dimensions, stat: query.stat, period: query.period)
                                                                   .scoped(member.target.scope)))
        }
        var instance = self
        instance.target = member.target
        instance.metrics = resolved
        return instance
    }
}
