import Foundation

/// The operator switches every node honours: safe mode and the open circuits.
public struct SharedSwitches: Hashable, Sendable {
    /// Safe mode as an operator last set it; nil when never set (the config's default holds).
    public var safeMode: Bool?
    /// The policy instances whose circuit breaker is open.
    public var openCircuits: Set<CircuitKey>

    /// Switches as stored.
    public init(safeMode: Bool? = nil, openCircuits: Set<CircuitKey> = []) {
        self.safeMode = safeMode
        self.openCircuits = openCircuits
    }
}
