import ReflexCore

/// Reads and changes each target through the clients of its account and region.
public struct ScopedActuator: Actuator {
    let services: PerScope<AWSServices>

    /// Actions through `services(scope)` for a target in `scope`.
    public init(services: PerScope<AWSServices>) {
        self.services = services
    }

    public func read(_ target: Target) async throws -> TargetState {
        try await AWSActuator(services: services(target.scope)).read(target)
    }

    public func apply(_ change: PlannedChange, to target: Target, current: TargetState) async throws -> String? {
        try await AWSActuator(services: services(target.scope)).apply(change, to: target, current: current)
    }
}

/// Discovers each selector's candidates in its account and region; they are found there, so
/// they carry that scope.
public struct ScopedResourceDiscovery: ResourceDiscovery {
    let services: PerScope<AWSServices>

    /// Discovery through `services(scope)` for a selector looking in `scope`.
    public init(services: PerScope<AWSServices>) {
        self.services = services
    }

    public func candidates(for selector: TargetSelector, variables: Set<String>) async throws -> [FleetMember] {
        try await services(selector.scope).resourceDiscovery.candidates(for: selector, variables: variables).map { $0.scoped(selector.scope) }
    }
}
