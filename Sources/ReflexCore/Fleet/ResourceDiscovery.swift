/// Finds the resources a fleet selector may cover (the port behind fleet discovery).
public protocol ResourceDiscovery: Sendable {
    /// The resources of `selector`'s kind (and cluster) that may match it, with their tags and
    /// the variables in `variables` that apply to them. Implementations may narrow the search
    /// with the selector's criteria; `TargetSelector.select` makes the final choice. Throws
    /// when the listing failed, so that a fleet is never emptied by an API error.
    func candidates(for selector: TargetSelector, variables: Set<String>) async throws -> [FleetMember]
}
