/// A condition on the target's newest ECS deployment that must hold before the policy acts.
/// Gates do not change the policy's state, only whether it acts.
public enum DeploymentGate: Hashable, Sendable, CustomStringConvertible {
    /// The newest deployment is younger than this.
    case deployedWithin(TimeSpan)
    /// The newest deployment is at least this old.
    case notDeployedWithin(TimeSpan)

    /// Whether the gate holds at `now` for a deployment made at `deployedAt`. An unknown
    /// deployment time never satisfies a gate: Reflex fails closed.
    public func holds(deployedAt: Double?, now: Double) -> Bool {
        guard let deployedAt else { return false }
        let age = now - deployedAt
        switch self {
        case let .deployedWithin(span): return age >= 0 && age <= Double(span.seconds)
        case let .notDeployedWithin(span): return age > Double(span.seconds)
        }
    }

    public var description: String {
        switch self {
        case let .deployedWithin(span): "deployed_within \(span)"
        case let .notDeployedWithin(span): "not_deployed_within \(span)"
        }
    }
}
