/// The state a policy is in after an evaluation.
public enum PolicyStatus: String, Hashable, Sendable, CaseIterable, Codable {
    /// The condition does not hold.
    case ok
    /// The newest period breaches but not yet enough periods do.
    case pending
    /// Enough periods breach: the policy wants to act.
    case firing
    /// There is no data to judge.
    case insufficientData = "insufficient-data"
    /// The metrics could not be read, or came back incomplete. Never acted on.
    case error
}
