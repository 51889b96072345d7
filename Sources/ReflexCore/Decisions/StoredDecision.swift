/// A decision as stored: its id, its content and its place in the hash chain.
public struct StoredDecision: Hashable, Sendable {
    /// The row id: consecutive, the chain's order.
    public let id: Int64
    /// `recorded_at` exactly as stored: what is printed, so that a copied time is the stored one.
    public let recordedAt: String
    /// The decision.
    public let record: DecisionRecord
    /// The hash of the row before (64 zeros for the first row ever).
    public let prevHash: String
    /// SHA-256 over this row's canonical content and `prevHash`.
    public let hash: String

    /// A stored decision, as the decision log reads it back.
    public init(id: Int64, recordedAt: String, record: DecisionRecord, prevHash: String, hash: String) {
        self.id = id
        self.recordedAt = recordedAt
        self.record = record
        self.prevHash = prevHash
        self.hash = hash
    }
}
