import Foundation

/// The guardrail state that nodes of a highly available pair share (DynamoDB when `ha:` is
/// set): actions with their outcomes and verifications, safe mode and circuits. The decision
/// log itself stays on each node.
public protocol CoordinationStore: LeaseStore {
    /// Writes `action` only while the lease is exactly `lease` (holder and epoch), in one
    /// transaction. Returns false when the lease condition failed (this node no longer leads).
    func commitAction(_ action: SharedAction, lease: LeaseRecord) async throws -> Bool
    /// Records the outcome and, when known, the verification of the action `key` written at `at`.
    /// Returns false when no such action is there (its intent never landed): nothing is written.
    @discardableResult
    func updateAction(key: String, at: Date, outcome: String?, outcomeAt: Date?, verified: Bool?) async throws -> Bool
    /// The actions whose intent is at or after `date`, oldest first.
    func actions(since date: Date) async throws -> [SharedAction]
    /// Safe mode and the open circuits.
    func switches() async throws -> SharedSwitches
    /// Sets safe mode for every node.
    func setSafeMode(_ on: Bool, by actor: String, at date: Date) async throws
    /// Opens or closes the circuit `key` for every node.
    func setCircuit(_ key: CircuitKey, open: Bool, reason: String, at date: Date) async throws
}
