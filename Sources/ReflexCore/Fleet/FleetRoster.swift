import Foundation

/// What discovery last found for each selector, and what changed: the fleets the daemon
/// judges. A failed discovery keeps the selector's last known members, so that an API error
/// never empties a fleet.
public struct FleetRoster: Sendable {
    /// A change worth recording.
    public enum Change: Hashable, Sendable {
        /// Members the selector matches now and did not before (all of them at the first discovery).
        case added(TargetSelector, [FleetMember])
        /// Members the selector no longer matches.
        case removed(TargetSelector, [FleetMember])
        /// Discovery failed; the last known members are kept. Reported once per run of failures.
        case failed(TargetSelector, reason: String, kept: Int)
        /// Discovery works again after failing.
        case recovered(TargetSelector)
    }

    /// Each selector's members as last discovered.
    public private(set) var members: [TargetSelector: [FleetMember]] = [:]
    /// Each selector whose last discovery failed, with why.
    public private(set) var failures: [TargetSelector: String] = [:]

    /// An empty roster: nothing discovered yet.
    public init() {}

    /// Takes one round of discovery results (candidates already listed, not yet selected) and
    /// returns what changed. Selectors no longer in use are forgotten.
    public mutating func apply(_ results: [TargetSelector: Result<[FleetMember], any Error>]) -> [Change] {
        var changes: [Change] = []
        for (selector, result) in results.sorted(by: { $0.key.description < $1.key.description }) {
            switch result {
            case let .success(candidates):
                let selected = selector.select(candidates)
                let before = Set(members[selector] ?? [])
                let now = Set(selected)
                if failures.removeValue(forKey: selector) != nil { changes.append(.recovered(selector)) }
                let added = selected.filter { !before.contains($0) }
                let removed = (members[selector] ?? []).filter { !now.contains($0) }
                if !added.isEmpty || members[selector] == nil { changes.append(.added(selector, added)) }
                if !removed.isEmpty { changes.append(.removed(selector, removed)) }
                members[selector] = selected
            case let .failure(error):
                // The first line only: an AWS error's detail can run long.
                let reason = "\(error)".split(separator: "\n").first.map(String.init) ?? "\(error)"
                if failures[selector] == nil {
                    changes.append(.failed(selector, reason: reason, kept: members[selector]?.count ?? 0))
                }
                failures[selector] = reason
            }
        }
        for selector in members.keys where results[selector] == nil { members[selector] = nil }
        for selector in failures.keys where results[selector] == nil { failures[selector] = nil }
        return changes
    }

    /// The instances of `policies`: a policy over one target once per account and region it
    /// covers, a fleet policy once per member of its selectors. `skipped` lists members a fleet policy cannot judge because
    /// they lack a variable its dimensions use.
    public func instances(of policies: [Policy]) -> (instances: [Policy], skipped: [(policy: String, member: FleetMember)]) {
        var instances: [Policy] = []
        var skipped: [(policy: String, member: FleetMember)] = []
        for policy in policies {
            guard policy.isFleet else {
                instances.append(contentsOf: policy.scopeInstances)
                continue
            }
            for selector in policy.selectors {
                for member in members[selector] ?? [] {
                    if let instance = policy.instance(for: member) { instances.append(instance) } else { skipped.append((policy.name, member)) }
                }
            }
        }
        return (instances, skipped)
    }

    /// The distinct selectors of `policies`, each with the variables any of its policies use:
    /// one discovery per selector, shared by every policy that uses it.
    public static func selectors(of policies: [Policy]) -> [TargetSelector: Set<String>] {
        var selectors: [TargetSelector: Set<String>] = [:]
        for policy in policies {
            for selector in policy.selectors {
                selectors[selector, default: []].formUnion(policy.templateVariables)
            }
        }
        return selectors
    }
}
