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
    /// How many targets are read (and acted on) at once: enough that a fleet with many firing
    /// instances is handled in a few round trips, few enough that AWS does not throttle.
    public var readConcurrency: Int

    /// Settings; by default a revision is good after 30 minutes, three unhelpful actions
    /// open the circuit and 16 targets are read at once.
    public init(globalBudget: Budget? = nil, safeModeDefault: Bool = false, stableAfter: TimeSpan = .minutes(30), circuitThreshold: Int = 3,
                readConcurrency: Int = 16) {
        self.globalBudget = globalBudget
        self.safeModeDefault = safeModeDefault
        self.stableAfter = stableAfter
        self.circuitThreshold = circuitThreshold
        self.readConcurrency = readConcurrency
    }
}
