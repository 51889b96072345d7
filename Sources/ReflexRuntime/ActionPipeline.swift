import Foundation
import ReflexCore

/// Every action goes through here: guardrails -> intent recorded -> act -> outcome recorded
/// -> verify. The intent is durable before AWS is called, so a crash between the two is found
/// and reconciled at start-up, never blindly repeated. One action at a time per target.
public actor ActionPipeline {
    let ledger: any ActionLedger
    let actuator: any Actuator
    let notifier: any Notifier
    /// Only the leader of a highly available pair acts; nil when this node runs alone.
    let fence: (any ActionFence)?
    private(set) var settings: ActionPipelineSettings
    nonisolated let now: @Sendable () -> Date

    /// Targets with an action between intent and outcome.
    private var inFlight: Set<String> = []
    /// Targets with an intent left by an earlier run that could not be reconciled yet (the
    /// target could not be read): blocked until a later attempt reads it.
    var awaitingReconciliation: Set<String> = []
    /// Decisions the log refused (a locked or full database), oldest first. They are written,
    /// in order, before anything else at the next chance; their targets stay blocked meanwhile,
    /// so that an action whose outcome is not on record is never followed by another.
    private var unwritten: [DecisionRecord] = []
    /// Set once the daemon is stopping: no new action starts after it.
    var stopping = false
    /// The hold reason last recorded per policy instance, so that a held action is recorded
    /// when the reason changes, not every cycle.
    var lastHold: [String: String] = [:]
    /// The judged period each instance last acted (or would have, in dry-run) on: a firing
    /// verdict is offered again at every poll until a new period is judged, and one period's
    /// evidence makes at most one action, whatever the guardrails allow.
    var actedOn: [String: Date] = [:]
    /// Executed actions waiting for their policy's condition to resolve, by policy instance.
    private var verifying: [String: (intent: Int64, deadline: Date)] = [:]
    /// The newest approval request of each approve-mode policy instance, read from the log at
    /// every cycle (`settleApprovals`) and kept up to date with what this pipeline records.
    var approvals: [CircuitKey: ApprovalRequest] = [:]
    /// Approved requests whose intent this run wrote: an approval is used once, even when two
    /// cycles offer the same verdict before the log is read again.
    var usedApprovals: Set<Int64> = []

    /// A pipeline over its ports; `now` is the clock.
    public init(ledger: any ActionLedger, actuator: any Actuator, notifier: any Notifier, settings: ActionPipelineSettings,
                fence: (any ActionFence)? = nil, now: @escaping @Sendable () -> Date = Date.init) {
        self.ledger = ledger
        self.fence = fence
        self.actuator = actuator
        self.notifier = notifier
        self.settings = settings
        self.now = now
    }

    /// Refuses every action from now on (the daemon received SIGTERM). An action already past
    /// its intent finishes and is recorded; none starts.
    public func stop() {
        stopping = true
    }

    /// Targets no action may start on now: an action between intent and outcome, an intent not
    /// reconciled, or a decision about the target that is not in the log yet.
    private var blockedTargets: Set<String> {
        inFlight.union(awaitingReconciliation).union(unwritten.compactMap(\.target))
    }

    /// The number of decisions waiting for the log to accept them.
    public var unwrittenDecisions: Int { unwritten.count }

    /// Writes the decisions the log refused earlier, in one commit. Returns whether none is left.
    @discardableResult
    public func writeUnwritten() -> Bool {
        (try? flushUnwritten()) != nil
    }

    /// Writes the decisions the log refused earlier, in one commit, or throws the log's error.
    private func flushUnwritten() throws {
        guard !unwritten.isEmpty else { return }
        _ = try ledger.append(contentsOf: unwritten)
        unwritten = []
    }

    /// Appends `record` after any decisions still waiting; when the log refuses, keeps it to
    /// write later (in order) and returns nil.
    func persist(_ record: DecisionRecord) -> Int64? {
        do {
            try flushUnwritten()
            return try ledger.append(record)
        } catch {
            unwritten.append(record)
            return nil
        }
    }

    /// Records what each ECS service among `targets` runs, for "last known good". Called once
    /// per cycle; a target that cannot be read is skipped until the next.
    public func observeDeployments(of targets: [Target]) async {
        let services = Set(targets).filter { $0.kind == .ecsService }.sorted { $0.id < $1.id }
        _ = await services.concurrentMap(limit: settings.readConcurrency) { target in
            guard let state = try? await self.actuator.read(target), let taskDefinition = state.taskDefinition,
                  let revision = state.snapshot.revision else { return }
            await self.noteDeployment(of: target, taskDefinition: taskDefinition, revision: revision, stable: state.stable)
        }
    }

    private func noteDeployment(of target: Target, taskDefinition: String, revision: Int, stable: Bool) {
        try? ledger.observeDeployment(target: target.id, taskDefinition: taskDefinition, revision: revision, stable: stable,
                                      at: now(), stableAfter: settings.stableAfter)
    }

    /// Takes one cycle's evaluations, a bounded number of targets at a time (each firing
    /// instance reads its target).
    public func handle(_ evaluations: [(Policy, Evaluation)], hashes: [String: String]) async {
        _ = await evaluations.map { Handled(policy: $0.0, evaluation: $0.1) }.concurrentMap(limit: settings.readConcurrency) { item in
            await self.handle(item.evaluation, of: item.policy, policyHash: hashes[item.policy.name])
        }
    }

    /// Takes a reloaded config's daemon-wide budget and safe-mode default.
    public func update(globalBudget: Budget?, safeModeDefault: Bool) {
        settings.globalBudget = globalBudget
        settings.safeModeDefault = safeModeDefault
    }

    /// A verification a restart goes on with.
    public struct ResumedVerification: Sendable {
        /// The instance's `Policy.instanceKey`.
        public let instanceKey: String
        /// The intent the verification record links to.
        public let intentID: Int64
        /// When the action's window ends.
        public let deadline: Date

        /// A verification of the action of intent `intentID` on instance `instanceKey`, due by `deadline`.
        public init(instanceKey: String, intentID: Int64, deadline: Date) {
            self.instanceKey = instanceKey
            self.intentID = intentID
            self.deadline = deadline
        }
    }

    /// Takes on the verifications the previous run left pending.
    public func resume(_ verifications: [ResumedVerification]) {
        for verification in verifications { verifying[verification.instanceKey] = (verification.intentID, verification.deadline) }
    }

    /// Settles the verifications whose deadline has passed on each instance's newest evaluation
    /// (`latest`, by `Policy.instanceKey`): a policy is judged once per period, and a deadline
    /// that falls between two periods must not wait for the next one (an hour, for an hourly
    /// metric) to be recorded.
    public func verifyOverdue(_ latest: [String: (Policy, Evaluation)], hashes: [String: String]) async {
        let at = now()
        for (key, pending) in verifying where at > pending.deadline {
            guard let (policy, evaluation) = latest[key] else { continue }
            await verify(evaluation, of: policy, policyHash: hashes[policy.name])
        }
    }

    /// One evaluation to handle.
    private struct Handled: Sendable {
        let policy: Policy
        let evaluation: Evaluation
    }

    /// Takes one evaluation of `policy` (whose text hashes to `policyHash`): verifies earlier
    /// actions, and when the policy fires runs the action through the guardrails.
    public func handle(_ evaluation: Evaluation, of policy: Policy, policyHash: String?) async {
        await verify(evaluation, of: policy, policyHash: policyHash)
        guard evaluation.status == .firing else {
            lastHold[policy.instanceKey] = nil
            return
        }
        await act(policy, policyHash: policyHash, evaluation: evaluation)
    }

    private func act(_ policy: Policy, policyHash: String?, evaluation: Evaluation) async {
        guard !stopping else { return }
        // A standby judges and records like the leader, and holds every action (a policy
        // without one is held as such below, on every node).
        if policy.action != nil, let fence, let why = await fence.refusal() {
            await hold(.notLeader(why), change: nil, policy: policy,
                       base: Self.base(policy, policyHash: policyHash, at: now(), evaluation: evaluation, state: nil))
            return
        }
        // An approved change is decided as approved: the guardrails run again, and only the
        // change that was approved, on the target as it was, is made.
        let approval = usableApproval(for: policy)
        var at = now()
        let decision: ActionDecision
        var state: TargetState?
        do {
            let read = try await readTarget(policy)
            state = read
            // The decision's moment is taken after the read: the reads of a fleet's targets
            // finish in any order, and a budget counts only actions up to its `now`, so a moment
            // taken before the read would not see the instances that decided while it waited.
            // From here to the intent nothing suspends.
            at = now()
            let history = try ledger.actions(since: at.addingTimeInterval(-Double(policy.guardrailLookback(globalBudget: settings.globalBudget).seconds)))
            let context = GuardrailContext(
                now: at, history: history, safeMode: try ledger.safeMode(fallback: settings.safeModeDefault),
                globalBudget: settings.globalBudget, targetsInFlight: blockedTargets, openCircuits: try ledger.openCircuitKeys(),
                deployedAt: read.deployedAt, conditionGateHolds: evaluation.gateHolds)
            decision = ActionDecision.decide(policy, context: context, snapshot: read.snapshot, approved: approval != nil)
        } catch {
            decision = .hold(.targetUnreadable("\(error)"), change: nil)
        }
        if let approval {
            await use(approval, decision: decision, policy: policy, policyHash: policyHash, state: state, evaluation: evaluation)
            return
        }
        let base = Self.base(policy, policyHash: policyHash, at: at, evaluation: evaluation, state: state)
        switch decision {
        case let .hold(reason, change):
            await hold(reason, change: change, policy: policy, base: base)
        case let .dryRun(change):
            // Checked where nothing suspends until the record (two cycles' tasks may offer the
            // same verdict at once), after the guardrails: a hold is still recorded as it comes.
            guard actedOn[policy.instanceKey] != evaluation.judgedPeriod else { return }
            actedOn[policy.instanceKey] = evaluation.judgedPeriod
            lastHold[policy.instanceKey] = nil
            var dryRun = base
            dryRun.kind = .actionDryRun
            dryRun.reason = evaluation.reason.code
            dryRun.detail = "dry-run: would \(change.summary)"
            dryRun.parameters = Self.json(change)
            await record(dryRun, notify: policy, summary: "\(policy.name) (dry-run) would \(change.summary)")
        case let .requestApproval(change):
            guard let state else { return }
            await requestApproval(change, policy: policy, base: base, state: state, evaluation: evaluation)
        case let .act(change):
            guard actedOn[policy.instanceKey] != evaluation.judgedPeriod else { return }
            actedOn[policy.instanceKey] = evaluation.judgedPeriod
            lastHold[policy.instanceKey] = nil
            guard let state else { return }
            await execute(change, policy: policy, base: base, state: state, evaluation: evaluation)
        }
    }

    /// Records that `reason` held the action back, once per reason while the policy fires.
    func hold(_ reason: HoldReason, change: PlannedChange?, policy: Policy, base: DecisionRecord) async {
        guard lastHold[policy.instanceKey] != reason.code else { return }
        lastHold[policy.instanceKey] = reason.code
        var held = base
        held.reason = reason.code
        held.detail = reason.summary
        held.parameters = change.flatMap(Self.json)
        await record(held, notify: policy, summary: "\(policy.name): action held back: \(reason.summary)")
    }

    /// The record every decision about `policy`'s action starts from (its kind is replaced):
    /// with the policy version, the evidence it was decided on and the target as it was read
    /// (nil when it could not be), so that each record is complete on its own.
    static func base(_ policy: Policy, policyHash: String?, at: Date, evaluation: Evaluation, state: TargetState?) -> DecisionRecord {
        DecisionRecord(at: at, kind: .actionHeld, policy: policy.name, policyHash: policyHash, target: policy.target.id,
                       evidence: json(evaluation.evidence), action: policy.action?.kind.rawValue, mode: policy.mode.rawValue,
                       stateBefore: state.flatMap { json(RecordedTargetState($0)) })
    }

    /// Makes `change` on the target: intent, AWS call, outcome, verification. `approval` is
    /// the approved request the change carries out, if any: the intent links to it.
    func execute(_ change: PlannedChange, policy: Policy, base: DecisionRecord, state: TargetState, evaluation: Evaluation,
                 approval: ApprovalRequest? = nil) async {
        let target = policy.target.id
        // Re-checked after the last suspension: the target was read (an await) since the
        // guardrails looked. From here to the AWS call nothing suspends, so a stop() cannot
        // slip in between this check and the call.
        guard !stopping, !blockedTargets.contains(target), !(approval.map { usedApprovals.contains($0.id) } ?? false) else {
            actedOn[policy.instanceKey] = nil
            return
        }
        inFlight.insert(target)
        defer { inFlight.remove(target) }
        var intent = base
        intent.kind = .actionIntent
        intent.reason = evaluation.reason.code
        intent.detail = change.summary
        intent.parameters = Self.json(change)
        intent.intentID = approval?.id
        let intentID: Int64
        do {
            // Earlier decisions first, so that the log stays in order.
            try flushUnwritten()
            intentID = try ledger.append(intent)
            if let approval { closeApproval(approval, at: intent.at) }
        } catch {
            // No durable intent, no action: the verdict (or approval) may be acted on once the
            // log takes writes.
            actedOn[policy.instanceKey] = nil
            await notifier.notify(NotificationEvent(kind: "daemon", policy: policy.name, target: target, decisionID: nil,
                                                    summary: "\(policy.name): action not taken, the decision log failed: \(error)",
                                                    at: now(), receivers: []))
            return
        }
        if let fence {
            do {
                try await fence.admit(intent, id: intentID)
            } catch {
                // Not the leader (any more), or the shared intent did not land: no AWS call.
                actedOn[policy.instanceKey] = nil
                var refused = base
                refused.at = now()
                refused.kind = .actionFailed
                refused.intentID = intentID
                refused.parameters = intent.parameters
                refused.reason = HoldReason.notLeader("").code
                refused.outcome = FenceOutcome.notAttempted
                refused.detail = "\(change.summary) not attempted, no AWS call: \(error)"
                await record(refused, notify: policy, summary: "\(policy.name): \(refused.detail ?? "")")
                return
            }
        }
        var outcome = base
        outcome.at = now()
        outcome.intentID = intentID
        outcome.parameters = intent.parameters
        do {
            let requestID = try await actuator.apply(change, to: policy.target, current: state)
            outcome.kind = .actionExecuted
            outcome.awsRequestID = requestID
            outcome.outcome = "succeeded"
            outcome.detail = change.summary
            outcome.change = Self.json(MadeChange(change: change, after: change.applied(to: state.snapshot)))
            verifying[policy.instanceKey] = (intentID, outcome.at.addingTimeInterval(Double(policy.verifyWithin.seconds)))
            await record(outcome, notify: policy, summary: "\(policy.name): \(change.summary)")
            if case let .ecsRollback(_, waitStable?)? = policy.action {
                // The target stays in flight while the new deployment rolls out.
                let stable = await waitUntilStable(policy.target, within: waitStable)
                var rollout = base
                rollout.at = now()
                rollout.kind = .rolloutChecked
                rollout.intentID = intentID
                rollout.outcome = stable.map { $0 ? "stable" : "not-stable" } ?? "not-checked"
                rollout.detail = stable.map { $0 ? "the service is stable" : "the service did not become stable within \(waitStable)" }
                    ?? "stopped before the rollout finished"
                await record(rollout, notify: policy, summary: "\(policy.name): \(rollout.detail ?? "")")
            }
        } catch is CancellationError {
            // Cut off by a stop while AWS was being called: the change may or may not have been
            // made, so no outcome is guessed. The intent stays open and is reconciled against
            // the target (by the next cycle, or at the next start), which also keeps it blocked.
            awaitingReconciliation.insert(target)
            await notifier.notify(NotificationEvent(kind: "daemon", policy: policy.name, target: target, decisionID: intentID,
                                                    summary: "\(policy.name): \(change.summary) interrupted by the stop; reconciled against the target later",
                                                    at: now(), receivers: []))
        } catch {
            outcome.kind = .actionFailed
            outcome.outcome = "failed"
            outcome.reason = (error as? any CodedError)?.code ?? "error"
            outcome.detail = "\(change.summary) failed: \(error)"
            await record(outcome, notify: policy, summary: "\(policy.name): \(change.summary) failed: \(error)")
        }
    }

    /// Polls the target until its deployment is stable or `deadline` passes; nil when the
    /// wait was cancelled (the daemon is stopping).
    private func waitUntilStable(_ target: Target, within deadline: TimeSpan) async -> Bool? {
        let clock = ContinuousClock()
        let end = clock.now + .seconds(deadline.seconds)
        let poll = Duration.milliseconds(max(200, min(5_000, deadline.seconds * 250)))
        while clock.now < end {
            if (try? await actuator.read(target))?.stable == true { return true }
            do {
                try await Task.sleep(for: poll)
            } catch {
                return nil
            }
        }
        return (try? await actuator.read(target))?.stable == true
    }

    /// Checks whether an earlier action helped: verified once the policy stops firing within its
    /// window, not verified when the window passes; enough unhelpful actions open the circuit.
    private func verify(_ evaluation: Evaluation, of policy: Policy, policyHash: String?) async {
        guard let pending = verifying[policy.instanceKey] else { return }
        let at = now()
        let resolved = evaluation.status == .ok || evaluation.status == .pending
        guard resolved || at > pending.deadline else { return }
        verifying[policy.instanceKey] = nil
        let record = DecisionRecord(
            at: at, kind: resolved ? .actionVerified : .actionNotVerified, policy: policy.name, policyHash: policyHash, target: policy.target.id,
            reason: evaluation.reason.code,
            detail: resolved ? "the condition resolved after the action" : "the condition did not resolve within \(policy.verifyWithin)",
            action: policy.action?.kind.rawValue, mode: policy.mode.rawValue, intentID: pending.intent, outcome: resolved ? "verified" : "not-verified")
        await self.record(record, notify: policy, summary: "\(policy.name): \(record.detail ?? "")")
        guard !resolved else { return }
        do {
            let circuit = CircuitKey(policy: policy.name, target: policy.target.id)
            let recent = try ledger.recentVerifications(circuit, count: settings.circuitThreshold)
            if recent.count == settings.circuitThreshold, !recent.contains(true) {
                let reason = "the last \(settings.circuitThreshold) actions on \(policy.target.id) did not resolve the condition"
                try ledger.openCircuit(circuit, at: at, reason: reason)
                await notifier.notify(NotificationEvent(kind: "circuit-opened", policy: policy.name, target: policy.target.id, decisionID: nil,
                                                        summary: "\(policy.name) on \(policy.target.id): circuit opened: \(reason)", at: at,
                                                        receivers: policy.notify))
            }
        } catch {
            await notifier.notify(NotificationEvent(kind: "daemon", policy: policy.name, target: policy.target.id, decisionID: nil,
                                                    summary: "circuit breaker check failed: \(error)", at: at, receivers: []))
        }
    }

    /// The target's state, with the rollback revision taken from "last known good" history when
    /// Reflex has it.
    private func readTarget(_ policy: Policy) async throws -> TargetState {
        var state = try await actuator.read(policy.target)
        if case .ecsRollback(.lastKnownGood, _)? = policy.action, let current = state.snapshot.revision,
           let good = try ledger.lastKnownGood(target: policy.target.id, currentRevision: current) {
            state.snapshot.rollbackRevision = good
        }
        return state
    }


    /// Records `record` (or keeps it to write later) and notifies `policy`'s receivers.
    func record(_ record: DecisionRecord, notify policy: Policy, summary: String) async {
        await self.record(record, receivers: policy.notify) { _ in summary }
    }

    /// Records `record` (or keeps it to write later) and notifies `receivers` with the summary
    /// made from its id (nil until written).
    func record(_ record: DecisionRecord, receivers: [String], summary: (Int64?) -> String) async {
        let id = persist(record)
        let target = record.target ?? ""
        if id == nil {
            await notifier.notify(NotificationEvent(
                kind: "daemon", policy: record.policy, target: record.target, decisionID: nil,
                summary: "the decision log refused a decision (\(record.kind.rawValue)); kept in memory and retried, \(target) is blocked until it is written",
                at: record.at, receivers: []))
        }
        await notifier.notify(NotificationEvent(kind: record.kind.rawValue, policy: record.policy, target: record.target, decisionID: id,
                                                summary: summary(id), at: record.at, receivers: receivers))
    }

    static func json<T: Encodable>(_ value: T) -> String? {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        return (try? encoder.encode(value)).map { String(decoding: $0, as: UTF8.self) }
    }
}
