/// What a circuit breaker guards: one policy on one target (one instance of a fleet policy),
/// so that a fix that does not help one table stops only there.
public struct CircuitKey: Hashable, Sendable {
    /// The policy's name.
    public let policy: String
    /// The target's id.
    public let target: String

    /// The circuit of `policy` on `target`.
    public init(policy: String, target: String) {
        self.policy = policy
        self.target = target
    }
}
