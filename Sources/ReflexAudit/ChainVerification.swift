/// The outcome of checking the decision log's hash chain.
public enum ChainVerification: Hashable, Sendable {
    /// Every row links to the one before and matches its hash.
    case intact(rows: Int, firstID: Int64?, lastID: Int64?)
    /// The first row where the chain breaks, and how.
    case broken(id: Int64, problem: String)
}
