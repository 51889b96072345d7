/// The reason codes Reflex records, so that `reflex audit --reason` can refuse a typo that
/// would otherwise match nothing, in silence.
public enum DecisionReasons {
    /// Every fixed code: why a state changed, what held an action back, and the reasons of the
    /// daemon's, the operators' and the fleets' own decisions. The reason of an `action-failed`
    /// row is an AWS error code, an open set: those are known from the log that holds them.
    public static let known = Set(EvaluationReason.allCodes + HoldReason.allCodes + [
        "start", "reload", "reload-rejected", "interval", "stop", "log-recovered", "restart", "error", "retention",
        "safe-mode-on", "safe-mode-off", "circuit-opened", "circuit-reset",
        "instance-added", "instance-removed", "discovery-failed", "discovery-recovered",
        "approved", "denied", "not-leader", "leader-acquired", "leader-lost", "standby", "takeover", "not-attempted", DecisionKind.approvalExpired.rawValue, DecisionKind.approvalStale.rawValue,
    ])
}
