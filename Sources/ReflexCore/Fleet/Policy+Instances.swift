extension Policy {
    /// Whether the policy covers a fleet (its target is a selector).
    public var isFleet: Bool { selector != nil }

    /// What identifies one instance of the policy: its name for a policy over one target, the
    /// name and the instance's target for a member of a fleet (`cart-throttling dynamodb:cart`).
    public var instanceKey: String {
        isFleet ? Self.instanceKey(policy: name, target: target) : name
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

    /// The instance of this fleet policy for `member`: the member as its target and every
    /// `${variable}` in its dimensions (and its other sources' names and URLs) resolved. Nil when the member lacks a variable the
    /// policy uses (a service with no target group for a `${target_group}` policy).
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
                resolved.append(NamedMetric(name: metric.name, query: MetricQuery(source: source, period: query.period)))
                continue
            }
            resolved.append(NamedMetric(name: metric.name, query: MetricQuery(namespace: query.namespace, metric: query.metric,
                                                                               dimensions: dimensions, stat: query.stat, period: query.period)))
        }
        return Policy(name: name, description: description, runbook: runbook, mode: mode, metrics: resolved, condition: condition,
                      resolve: resolve, window: window, missingData: missingData, period: period, settleDelay: settleDelay, gates: gates,
                      gateCondition: gateCondition, target: member.target, selector: selector, action: action, guardrails: guardrails, notify: notify,
                      verifyWithin: verifyWithin, approvalExpires: approvalExpires)
    }
}
