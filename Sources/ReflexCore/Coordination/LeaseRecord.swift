import Foundation

/// The lease item of the coordination table, after the protocol of AWS's DynamoDB lock client:
/// who holds it, a record version that changes at every renewal, and an epoch that changes at
/// every change of holder.
public struct LeaseRecord: Hashable, Sendable {
    /// The node holding the lease; nil once its holder released it.
    public var holder: String?
    /// A new random value at every write: a standby that sees it unchanged for a whole lease
    /// knows the holder stopped renewing.
    public var recordVersion: String
    /// Incremented whenever the holder changes; every action's intent carries it.
    public var epoch: Int

    /// A lease record.
    public init(holder: String?, recordVersion: String, epoch: Int) {
        self.holder = holder
        self.recordVersion = recordVersion
        self.epoch = epoch
    }
}
