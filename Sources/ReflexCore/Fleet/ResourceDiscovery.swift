/// Finds the resources a fleet selector may cover (the port behind fleet discovery).
public protocol ResourceDiscovery: Sendable {
    /// The resources of `selector`'s kind (and cluster) that may match it, with their tags and
    /// the variables in `variables` that apply to them. Implementations may narrow the search
    /// with the selector's criteria; `TargetSelector.select` makes the final choice. Throws
    /// when the listing failed, so that a fleet is never emptied by an API error.
    func candidates(for selector: TargetSelector, variables: Set<String>) async throws -> [FleetMember]
}

extension ResourceDiscovery {
    /// Lists the candidates of every selector side by side (each with the variables its
    /// policies use), one listing per selector.
    public func candidates(for selectors: [TargetSelector: Set<String>]) async -> [TargetSelector: Result<[FleetMember], any Error>] {
        await withTaskGroup(of: (TargetSelector, Result<[FleetMember], any Error>).self) { group in
            for (selector, variables) in selectors {
                group.addTask {
                    do {
                        return (selector, .success(try await candidates(for: selector, variables: variables)))
                    } catch {
                        return (selector, .failure(error))
                    }
                }
            }
            var results: [TargetSelector: Result<[FleetMember], any Error>] = [:]
            for await (selector, result) in group { results[selector] = result }
            return results
        }
    }
}
