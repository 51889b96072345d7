import ReflexCore

/// The config's settings that a reload applies to the running daemon.
public struct DaemonSettings: Hashable, Sendable {
    /// How often the daemon looks at the clock.
    public var pollInterval: TimeSpan
    /// How often fleet selectors are listed again.
    public var discoveryInterval: TimeSpan
    /// Safe mode until an operator sets it.
    public var safeModeDefault: Bool
    /// The daemon-wide action budget.
    public var globalBudget: Budget?

    /// Settings as the config gives them.
    public init(pollInterval: TimeSpan, discoveryInterval: TimeSpan, safeModeDefault: Bool, globalBudget: Budget?) {
        self.pollInterval = pollInterval
        self.discoveryInterval = discoveryInterval
        self.safeModeDefault = safeModeDefault
        self.globalBudget = globalBudget
    }
}
