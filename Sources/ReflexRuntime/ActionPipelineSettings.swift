import ReflexCore

/// The daemon-wide settings of the action pipeline.
public struct ActionPipelineSettings: Sendable {
    /// The daemon-wide action budget.
    public var globalBudget: Budget?
    /// Safe mode until an operator sets it (the config's `safe_mode`).
    public var safeModeDefault: Bool
    /// How long a task definition must serve stably before it is "last known good".
    public var stableAfter: TimeSpan
    /// How many consecutive unverified actions open a policy's circuit breaker.
    public var circuitThreshold: Int

    /// Settings; by default a revision is good after 30 minutes and three unhelpful actions
    /// open the circuit.
    public init(globalBudget: Budget? = nil, safeModeDefault: Bool = false, stableAfter: TimeSpan = .minutes(30), circuitThreshold: Int = 3) {
        self.globalBudget = globalBudget
        self.safeModeDefault = safeModeDefault
        self.stableAfter = stableAfter
        self.circuitThreshold = circuitThreshold
    }
}
