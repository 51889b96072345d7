import Foundation

/// An action intent that has no outcome yet: the action was in flight when Reflex stopped.
public struct PendingIntent: Hashable, Sendable {
    /// The intent's decision id.
    public let id: Int64
    /// The intent as recorded.
    public let record: DecisionRecord

    /// An intent row.
    public init(id: Int64, record: DecisionRecord) {
        self.id = id
        self.record = record
    }
}

/// What the action pipeline keeps durably: the decision log plus the state that guardrails,
/// "last known good" and the circuit breaker read, so that all of it survives restarts.
public protocol ActionLedger: DecisionLog {
    /// Appends records in one commit, in order; returns their ids.
    func append(contentsOf records: [DecisionRecord]) throws -> [Int64]
    /// Actions attempted since `date`: what cooldowns and budgets count.
    func actions(since date: Date) throws -> [ActionRecord]
    /// Whether safe mode is on, `fallback` if never set.
    func safeMode(fallback: Bool) throws -> Bool
    /// The policy instances whose circuit breaker is open.
    func openCircuitKeys() throws -> Set<CircuitKey>
    /// Opens the circuit breaker of a policy on one target and records why.
    func openCircuit(_ key: CircuitKey, at date: Date, reason: String) throws
    /// The last `count` verification outcomes of a policy's actions on one target, newest first.
    func recentVerifications(_ key: CircuitKey, count: Int) throws -> [Bool]
    /// Records what an ECS service runs, for "last known good".
    func observeDeployment(target: String, taskDefinition: String, revision: Int, stable: Bool, at date: Date, stableAfter: TimeSpan) throws
    /// The newest good revision other than `currentRevision`.
    func lastKnownGood(target: String, currentRevision: Int) throws -> Int?
    /// Intents without an outcome.
    func pendingIntents() throws -> [PendingIntent]
    /// The newest recorded state of every policy instance.
    func lastStates() throws -> [RecordedState]
    /// Actions executed since `date` whose verification is not recorded.
    func unverifiedActions(since date: Date) throws -> [UnverifiedAction]
    /// The approval requests still open (pending, or approved and not yet acted on) and those
    /// closed since `date`, oldest first.
    func approvalRequests(closedSince date: Date) throws -> [ApprovalRequest]
}
