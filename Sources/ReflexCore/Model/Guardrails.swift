/// A policy's own guardrails. The daemon adds global ones (budget, safe mode) from its config.
public struct Guardrails: Hashable, Sendable {
    /// The least time between two actions on the policy's target, by any policy.
    public let cooldown: TimeSpan?
    /// The policy's own action budget; for a fleet, across all its instances (blast radius).
    public let maxActions: Budget?
    /// The budget of each target (each instance of a fleet) on its own.
    public let maxActionsPerTarget: Budget?

    /// Guardrails with the given limits; nil means no limit of that kind.
    public init(cooldown: TimeSpan? = nil, maxActions: Budget? = nil, maxActionsPerTarget: Budget? = nil) {
        self.cooldown = cooldown
        self.maxActions = maxActions
        self.maxActionsPerTarget = maxActionsPerTarget
    }
}
