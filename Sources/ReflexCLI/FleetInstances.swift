import ArgumentParser
import ReflexCore

/// The policy instances a one-shot command (plan, check --discover) judges: each
/// single-target policy, and every instance of each fleet as discovery finds it now.
struct FleetInstances {
    /// The roster after one discovery.
    let roster: FleetRoster
    /// The instances, in policy order.
    let instances: [Policy]
    /// Fleet members a policy cannot judge (a variable its dimensions use is missing), by policy.
    let skipped: [(policy: String, member: FleetMember)]

    /// Discovers every fleet of `policies` once.
    static func discover(_ policies: [Policy], using discovery: any ResourceDiscovery) async -> FleetInstances {
        var roster = FleetRoster()
        let selectors = FleetRoster.selectors(of: policies)
        if !selectors.isEmpty { _ = roster.apply(await discovery.candidates(for: selectors)) }
        let (instances, skipped) = roster.instances(of: policies)
        return FleetInstances(roster: roster, instances: instances, skipped: skipped)
    }

    /// Discovers every fleet of `policies` once, or, when any discovery failed, prints each
    /// failure as `reflex COMMAND: POLICY: discovery failed: ...` and exits 2: the command's
    /// answer would be wrong without the fleet's members.
    static func discoverAll(_ policies: [Policy], using discovery: any ResourceDiscovery, command: String) async throws -> FleetInstances {
        let fleets = await discover(policies, using: discovery)
        let failures = policies.compactMap { policy in fleets.failure(of: policy).map { "reflex \(command): \(policy.name): discovery failed: \($0)" } }
        guard failures.isEmpty else {
            failures.forEach(printError)
            throw ExitCode.usageError
        }
        return fleets
    }

    /// Why `policy`'s fleet could not be discovered, if it could not.
    func failure(of policy: Policy) -> String? {
        let failures = policy.selectors.compactMap { roster.failures[$0] }
        return failures.isEmpty ? nil : failures.joined(separator: "; ")
    }
}
