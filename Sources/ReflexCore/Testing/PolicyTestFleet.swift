/// What a test's `instances` mean to the policies under test: the instances the daemon would
/// judge, and for every resource left out, why. Selection goes through the selector itself
/// (`TargetSelector.select`), so a test sees exactly what discovery would.
struct PolicyTestFleet {
    /// The policies to simulate: policies over one target as they are, fleet policies once per
    /// matching instance, in the order the daemon judges them.
    let policies: [Policy]
    /// Each instance's resource by fleet policy and instance name.
    let targets: [String: [String: Target]]
    /// Why an instance is not judged, by fleet policy and instance name.
    let notJudged: [String: [String: String]]

    init(policies: [Policy], instances: [PolicyTestInstance]) {
        var expanded: [Policy] = []
        var targets: [String: [String: Target]] = [:]
        var notJudged: [String: [String: String]] = [:]
        for policy in policies {
            guard let selector = policy.selector else {
                expanded.append(policy)
                continue
            }
            let members = instances.map { $0.member(of: selector) }
            let selected = Set(selector.select(members))
            for (instance, member) in zip(instances, members) {
                targets[policy.name, default: [:]][instance.name] = member.target
                if !selected.contains(member) {
                    notJudged[policy.name, default: [:]][instance.name] = Self.exclusion(of: member, by: selector)
                } else if policy.instance(for: member) == nil {
                    let missing = policy.templateVariables.subtracting(member.variables.keys).sorted().map { "${\($0)}" }
                    notJudged[policy.name, default: [:]][instance.name] =
                        "it has no value for \(missing.joined(separator: ", ")), which the policy's dimensions use"
                }
            }
            expanded += selector.select(members).compactMap { policy.instance(for: $0) }
        }
        self.policies = expanded
        self.targets = targets
        self.notJudged = notJudged
    }

    /// Why `selector` leaves `member` out, in the selector's own terms.
    static func exclusion(of member: FleetMember, by selector: TargetSelector) -> String {
        if selector.exclude.contains(member.name) { return "the selector excludes it" }
        if let glob = selector.name, !glob.matches(member.name) { return "its name does not match '\(glob)'" }
        for (key, value) in selector.tags.sorted(by: { $0.key < $1.key }) where member.tags[key] != value {
            return member.tags[key].map { "its tag \(key) is '\($0)', the selector wants '\(value)'" }
                ?? "it has no tag \(key) (the selector wants '\(value)')"
        }
        return "the selector does not match it"
    }
}
