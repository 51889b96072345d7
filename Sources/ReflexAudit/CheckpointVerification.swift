/// The outcome of checking the decision log against its signed checkpoints.
public enum CheckpointVerification: Hashable, Sendable {
    /// Every checkpoint is signed by the key, and the chain passes through each one (and
    /// through the exported copy, when one was given).
    case intact(checkpoints: Int, lastCovered: Int64?)
    /// The first decision that no longer matches what was signed, and how.
    case broken(id: Int64, problem: String)
}
