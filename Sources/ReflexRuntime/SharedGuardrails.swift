import Foundation
import Logging
import ReflexCore

/// The guardrail state of a highly available pair. Decisions go to this node's own log
/// (`local`); what guardrails count across nodes (actions, their outcomes and verifications,
/// safe mode, circuits) comes from a copy of the shared store refreshed at every cycle (`sync`)
/// and updated at once by what this node records, so the synchronous ledger port stays as it
/// is. Intents reach the shared store through `admit`, one transaction conditional on the lease.
public final class SharedGuardrails: ActionLedger, ActionFence, @unchecked Sendable {
    let local: any ActionLedger
    let store: any CoordinationStore
    let keeper: LeaseKeeper
    let node: String
    let logger: Logger
    let now: @Sendable () -> Date
    /// How far back shared actions are read: beyond every cooldown, budget and verification.
    let horizon: TimeInterval

    private let lock = NSLock()
    /// Shared actions by key, as last read plus what this node recorded since.
    private var actions: [String: SharedAction] = [:]
    /// Intents recorded here whose shared write has not succeeded (yet).
    private var uncommitted: Set<String> = []
    /// Safe mode and circuits, as last read plus what this node changed since.
    private var switches = SharedSwitches()
    /// Writes to the shared store not made yet, oldest first, each with a number of its own.
    private var pending: [(number: Int, write: SharedWrite)] = []
    private var writesQueued = 0
    /// What this node changed in the copy, numbered: a read of the store that started before
    /// a change may not hold it, so the changes made since a read started are applied again on
    /// top of what it returned.
    private var changes: [(number: Int, change: LocalChange)] = []
    private var changesMade = 0
    /// The sync running last: syncs run one after another, so that a takeover's sync reads
    /// the store after everything before it.
    private var lastSync: Task<Void, Never>?
    /// Local intent ids of other nodes' intents adopted at a takeover, to the shared keys.
    private var adopted: [Int64: String] = [:]
    /// Adopted actions whose verification goes on here, kept until a takeover completes: one
    /// that adopted some and failed on the next must not lose them for the retry.
    private var adoptedUnverified: [UnverifiedAction] = []
    /// Why the last refresh failed; nil after one that succeeded.
    private var refreshError: String? = "the shared state was not read yet"
    /// The epoch this node last took the lease in, and the one whose takeover is complete:
    /// it acts in an epoch only after its takeover completed.
    private var takeoverEpoch: Int?
    private var readyEpoch: Int?
    /// Set while a takeover is being completed, so that two cycles do not adopt twice.
    private var takingOver = false

    /// A change this node made to its copy.
    enum LocalChange {
        /// The action as this node now has it.
        case action(SharedAction)
        /// An intent that never reached the store.
        case forgotten(String)
        /// A circuit this node opened.
        case circuitOpened(CircuitKey)
    }

    /// One write the shared store has not taken yet.
    enum SharedWrite {
        case outcome(key: String, at: Date, outcome: String?, outcomeAt: Date?, verified: Bool?)
        case circuit(CircuitKey, reason: String, at: Date)
    }

    /// Shared state in `store` beside this node's log `local`, for `node` holding or watching
    /// the lease through `keeper`.
    public init(local: any ActionLedger, store: any CoordinationStore, keeper: LeaseKeeper, node: String, logger: Logger,
                horizon: TimeSpan = .hours(24 * 8), now: @escaping @Sendable () -> Date = Date.init) {
        self.local = local
        self.store = store
        self.keeper = keeper
        self.node = node
        self.logger = logger
        self.horizon = TimeInterval(horizon.seconds)
        self.now = now
    }

    // MARK: Keeping the copy

    /// Writes what the shared store has not taken yet, then reads it afresh, after any sync
    /// already running. A failure is kept (the fence refuses while the copy may be stale) and
    /// the next sync tries again.
    public func sync() async {
        let task = lock.withLock { () -> Task<Void, Never> in
            let previous = lastSync
            let task = Task { await previous?.value; await self.refresh() }
            lastSync = task
            return task
        }
        await task.value
    }

    private func refresh() async {
        await flush()
        let started = lock.withLock { changesMade }
        do {
            let read = try await store.actions(since: now().addingTimeInterval(-horizon))
            let readSwitches = try await store.switches()
            lock.withLock {
                var fresh = Dictionary(read.map { ($0.key, $0) }, uniquingKeysWith: { _, last in last })
                var freshSwitches = readSwitches
                // What the store has not taken yet, or took after the read began, stays as
                // this node recorded it.
                for key in uncommitted { fresh[key] = actions[key] }
                for (_, write) in pending { Self.apply(write, to: &fresh) }
                for case let (_, .circuit(key, _, _)) in pending { freshSwitches.openCircuits.insert(key) }
                for (number, change) in changes where number > started {
                    switch change {
                    case var .action(action):
                        let stored = fresh[action.key]
                        if action.outcome == nil { action.outcome = stored?.outcome; action.outcomeAt = stored?.outcomeAt }
                        if action.verified == nil { action.verified = stored?.verified }
                        fresh[action.key] = action
                    case let .forgotten(key):
                        fresh[key] = nil
                    case let .circuitOpened(key):
                        freshSwitches.openCircuits.insert(key)
                    }
                }
                changes.removeAll { $0.number <= started }
                actions = fresh
                switches = freshSwitches
                refreshError = nil
            }
        } catch {
            lock.withLock { refreshError = "\(error)" }
            logger.warning("reading the shared guardrail state failed; no action until it is read", metadata: ["error": "\(error)"])
        }
    }

    /// Changes the copy's action `key` and remembers the change; call with the lock held.
    private func change(_ action: SharedAction) {
        actions[action.key] = action
        changesMade += 1
        changes.append((changesMade, .action(action)))
    }

    private func flush() async {
        let writes = lock.withLock { pending }
        var done: Set<Int> = []
        for (number, write) in writes {
            do {
                switch write {
                case let .outcome(key, at, outcome, outcomeAt, verified):
                    // False: the intent never landed (its transaction failed after all), so
                    // there is nothing to complete.
                    try await store.updateAction(key: key, at: at, outcome: outcome, outcomeAt: outcomeAt, verified: verified)
                case let .circuit(key, reason, at):
                    try await store.setCircuit(key, open: true, reason: reason, at: at)
                }
                done.insert(number)
            } catch {
                logger.warning("writing the shared guardrail state failed; retried at the next cycle", metadata: ["error": "\(error)"])
                break
            }
        }
        lock.withLock { pending.removeAll { done.contains($0.number) } }
    }

    /// Queues `write` for the shared store; call with the lock held.
    private func queue(_ write: SharedWrite) {
        writesQueued += 1
        pending.append((writesQueued, write))
    }

    private static func apply(_ write: SharedWrite, to actions: inout [String: SharedAction]) {
        guard case let .outcome(key, _, outcome, outcomeAt, verified) = write, var action = actions[key] else { return }
        if let outcome { action.outcome = outcome; action.outcomeAt = outcomeAt }
        if let verified { action.verified = verified }
        actions[key] = action
    }

    /// The shared key of the intent this node recorded as `id`.
    private func sharedKey(ofIntent id: Int64) -> String {
        adopted[id] ?? SharedAction.key(node: node, intentID: id)
    }

    /// Keeps the copy up to date with what this node records.
    private func note(_ record: DecisionRecord, id: Int64) {
        lock.withLock {
            switch record.kind {
            case .actionIntent:
                let key = SharedAction.key(node: node, intentID: id)
                change(SharedAction(key: key, node: node, epoch: 0, intent: record))
                uncommitted.insert(key)
            case .actionExecuted, .actionFailed, .actionReconciled, .actionVerified, .actionNotVerified:
                guard let intentID = record.intentID else { return }
                let key = sharedKey(ofIntent: intentID)
                guard let action = actions[key], !uncommitted.contains(key) else { return }
                // An adopted action that had its outcome keeps it: the reconciliation only
                // confirmed it here.
                if record.kind == .actionReconciled, action.outcome != nil { return }
                let verification: Bool? = switch record.kind {
                case .actionVerified: true
                case .actionNotVerified: false
                default: nil
                }
                let write = SharedWrite.outcome(key: key, at: action.intent.at, outcome: verification == nil ? record.outcome : nil,
                                                outcomeAt: verification == nil ? record.at : nil, verified: verification)
                Self.apply(write, to: &actions)
                if let updated = actions[key] { change(updated) }
                queue(write)
            default:
                return
            }
        }
    }

    // MARK: ActionLedger

    public func append(_ record: DecisionRecord) throws -> Int64 {
        let id = try local.append(record)
        note(record, id: id)
        return id
    }

    public func append(contentsOf records: [DecisionRecord]) throws -> [Int64] {
        let ids = try local.append(contentsOf: records)
        for (record, id) in zip(records, ids) { note(record, id: id) }
        return ids
    }

    /// This node's dry runs (a standby records none) and every node's actions.
    public func actions(since date: Date) throws -> [ActionRecord] {
        let dryRuns = try local.actions(since: date).filter(\.dryRun)
        let shared = lock.withLock { actions.values.filter { $0.intent.at >= date && $0.outcome != FenceOutcome.notAttempted }.compactMap(\.record) }
        return (dryRuns + shared).sorted { $0.at < $1.at }
    }

    public func safeMode(fallback: Bool) throws -> Bool {
        if let shared = lock.withLock({ switches.safeMode }) { return shared }
        return try local.safeMode(fallback: fallback)
    }

    public func openCircuitKeys() throws -> Set<CircuitKey> {
        lock.withLock { switches.openCircuits }
    }

    public func openCircuit(_ key: CircuitKey, at date: Date, reason: String) throws {
        try local.openCircuit(key, at: date, reason: reason)
        lock.withLock {
            switches.openCircuits.insert(key)
            changesMade += 1
            changes.append((changesMade, .circuitOpened(key)))
            queue(.circuit(key, reason: reason, at: date))
        }
    }

    public func recentVerifications(_ key: CircuitKey, count: Int) throws -> [Bool] {
        lock.withLock {
            actions.values.filter { $0.intent.policy == key.policy && $0.intent.target == key.target && $0.verified != nil }
                .sorted { $0.intent.at > $1.intent.at }.prefix(count).compactMap(\.verified)
        }
    }

    public func observeDeployment(target: String, taskDefinition: String, revision: Int, stable: Bool, at date: Date, stableAfter: TimeSpan) throws {
        try local.observeDeployment(target: target, taskDefinition: taskDefinition, revision: revision, stable: stable, at: date, stableAfter: stableAfter)
    }

    public func lastKnownGood(target: String, currentRevision: Int) throws -> Int? {
        try local.lastKnownGood(target: target, currentRevision: currentRevision)
    }

    public func pendingIntents() throws -> [PendingIntent] { try local.pendingIntents() }
    public func lastStates() throws -> [RecordedState] { try local.lastStates() }
    public func unverifiedActions(since date: Date) throws -> [UnverifiedAction] { try local.unverifiedActions(since: date) }
    public func approvalRequests(closedSince date: Date) throws -> [ApprovalRequest] { try local.approvalRequests(closedSince: date) }

    // MARK: Takeover

    /// Notes that this node leads in `epoch`: it acts in it only once `completeTakeover` ran.
    public func beginTakeover(epoch: Int) {
        lock.withLock { takeoverEpoch = epoch }
    }

    /// Before a new leader acts: reads the shared state, adopts into this node's log the
    /// intents other nodes left without an outcome, and the actions they made whose
    /// verification is still due, and lets `reconcile` check them against their targets (as
    /// at a start), so that nothing in flight is repeated. Returns the adopted actions whose
    /// verification goes on here; nil when no takeover was due or it must be tried again (the
    /// shared state or the log could not be read or written), which the next cycle does.
    public func completeTakeover(verifyingSince: Date, reconcile: @Sendable () async -> Void) async -> [UnverifiedAction]? {
        let due = lock.withLock { () -> Int? in
            guard let epoch = takeoverEpoch, readyEpoch != epoch, !takingOver else { return nil }
            takingOver = true
            return epoch
        }
        guard let epoch = due else { return nil }
        defer { lock.withLock { takingOver = false } }
        await sync()
        guard lock.withLock({ refreshError }) == nil, let ownPending = try? local.pendingIntents() else { return nil }
        let ownOpen = Set(ownPending.map { SharedAction.key(node: node, intentID: $0.id) })
        let candidates = lock.withLock {
            let taken = Set(adopted.values)
            return actions.values.filter { action in
                guard !uncommitted.contains(action.key), !ownOpen.contains(action.key), !taken.contains(action.key) else { return false }
                // Open, or made by another node and not verified yet within its window.
                return action.outcome == nil
                    || (action.node != node && action.outcome == "succeeded" && action.verified == nil && (action.outcomeAt ?? .distantPast) >= verifyingSince)
            }.sorted { $0.intent.at < $1.intent.at }
        }
        for action in candidates {
            var copy = action.intent
            copy.at = now()
            copy.detail = "adopted at a takeover: intent of \(action.node) in epoch \(action.epoch) at \(action.intent.at.formatted(.iso8601))"
                + (action.outcome.map { ", outcome \($0)" } ?? "") + ": \(action.intent.detail ?? "")"
            guard let id = try? local.append(copy) else { return nil }
            lock.withLock {
                adopted[id] = action.key
                if action.outcome != nil, let policy = copy.policy, let target = copy.target, let executedAt = action.outcomeAt {
                    adoptedUnverified.append(UnverifiedAction(policy: policy, target: target, intentID: id, executedAt: executedAt))
                }
            }
        }
        await reconcile()
        await flush()
        return lock.withLock {
            readyEpoch = epoch
            defer { adoptedUnverified = [] }
            return adoptedUnverified
        }
    }

    // MARK: ActionFence

    public func refusal() async -> String? {
        if case let .failure(refusal) = await actingLease() { return refusal.reason }
        return nil
    }

    /// The lease this node may act under now, or why it may not.
    private func actingLease() async -> Result<LeaseRecord, FenceRefusal> {
        guard let lease = await keeper.actingLease() else {
            switch await keeper.role {
            case let .standby(leader): return .failure(FenceRefusal(reason: leader.map { "standby, leader is \($0)" } ?? "standby, no leader seen yet"))
            case let .leader(epoch): return .failure(FenceRefusal(reason: "the lease of epoch \(epoch) was not renewed recently enough to act on"))
            }
        }
        return lock.withLock {
            if let refreshError { return .failure(FenceRefusal(reason: "the shared guardrail state could not be read: \(refreshError)")) }
            if readyEpoch != lease.epoch { return .failure(FenceRefusal(reason: "taking over in epoch \(lease.epoch): open intents not reconciled yet")) }
            return .success(lease)
        }
    }

    public func admit(_ intent: DecisionRecord, id: Int64) async throws {
        let key = SharedAction.key(node: node, intentID: id)
        let lease: LeaseRecord
        switch await actingLease() {
        case let .success(acting): lease = acting
        case let .failure(refusal):
            forget(key)
            throw refusal
        }
        let action = SharedAction(key: key, node: node, epoch: lease.epoch, intent: intent)
        let accepted: Bool
        do {
            accepted = try await store.commitAction(action, lease: lease)
        } catch {
            // The transaction may have landed: the intent stays counted, and its outcome is
            // written (a no-op if it never landed) so that no leader reconciles it as open.
            keep(action)
            throw FenceRefusal(reason: "the shared intent could not be written: \(error)")
        }
        guard accepted else {
            forget(key)
            throw FenceRefusal(reason: "the lease of epoch \(lease.epoch) changed hands before the intent was written")
        }
        keep(action)
        guard await keeper.actingLease()?.epoch == lease.epoch else {
            throw FenceRefusal(reason: "the lease of epoch \(lease.epoch) aged while the intent was written")
        }
    }

    /// Keeps an intent that reached (or may have reached) the shared store as written.
    private func keep(_ action: SharedAction) {
        lock.withLock {
            change(action)
            uncommitted.remove(action.key)
        }
    }

    /// Drops an intent that never reached the shared store.
    private func forget(_ key: String) {
        lock.withLock {
            actions[key] = nil
            uncommitted.remove(key)
            changesMade += 1
            changes.append((changesMade, .forgotten(key)))
        }
    }

    // MARK: Visible state

    /// This node's role for STATUS and `reflex status`: `leader (epoch 7)`, `standby, leader is host-b`.
    public func roleDescription() async -> String {
        switch await keeper.role {
        case let .leader(epoch):
            let acting = await keeper.actingLease() != nil && lock.withLock { readyEpoch == epoch }
            return acting ? "leader (epoch \(epoch))" : "leader (epoch \(epoch), not acting: lease not fresh or takeover not reconciled)"
        case let .standby(leader):
            return leader.map { "standby, leader is \($0)" } ?? "standby, no leader seen yet"
        }
    }
}
