import Foundation

/// Where the lease lives (the coordination table). Every write is conditional on the record
/// the writer last read, so two nodes can never both believe their write won.
public protocol LeaseStore: Sendable {
    /// The lease as stored now (a strongly consistent read); nil when there is none yet.
    func readLease() async throws -> LeaseRecord?
    /// Replaces the lease with `new` only if the stored one still has `expected`'s holder, record
    /// version and epoch (`expected` nil: only if there is none). Returns false when the
    /// condition failed; throws when the store could not be asked.
    func replaceLease(expected: LeaseRecord?, with new: LeaseRecord) async throws -> Bool
}
