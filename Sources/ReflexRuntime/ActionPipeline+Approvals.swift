import Crypto
import Foundation
import ReflexCore

/// Approve mode: a change the guardrails let through is prepared and asked for, and made only
/// once a person approves it, on the target as it was when asked, through the guardrails again.
extension ActionPipeline {
    /// The approval requests are read per policy instance, the key of its circuit breaker.
    static func approvalKey(_ policy: Policy) -> CircuitKey {
        CircuitKey(policy: policy.name, target: policy.target.id)
    }

    /// What binds an approval to a change: SHA-256 over the change and the target state it was
    /// planned against, in their canonical JSON.
    static func digest(_ change: PlannedChange, against snapshot: TargetSnapshot) -> String {
        let text = (json(change) ?? "") + "\n" + (json(snapshot) ?? "")
        return SHA256.hash(data: Data(text.utf8)).map { String(format: "%02x", $0) }.joined()
    }

    /// The approved, unused request of `policy`'s instance, if any.
    func usableApproval(for policy: Policy) -> ApprovalRequest? {
        guard policy.mode == .approve, let request = approvals[Self.approvalKey(policy)], case .approved = request.state,
              !usedApprovals.contains(request.id) else { return nil }
        return request
    }

    /// Marks `request` used (by an intent or a hold): nothing more comes of it.
    func closeApproval(_ request: ApprovalRequest, at date: Date) {
        usedApprovals.insert(request.id)
        approvals[request.key] = ApprovalRequest(id: request.id, policy: request.policy, target: request.target, requestedAt: request.requestedAt,
                                                 plan: request.plan, state: .closed(at: date))
    }

    /// Reads the approval requests from the log (answers are written there by `reflex approve`
    /// and `reflex deny`), and closes those that can no longer be used: a request not answered
    /// in time expires; an approved one is stale when its policy no longer fires, is gone or no
    /// longer asks for approval, or when it was not used within `approval_expires` of the
    /// approval. `latest` is each instance's newest evaluation, by `Policy.instanceKey`.
    public func settleApprovals(_ latest: [String: (Policy, Evaluation)], hashes: [String: String]) async {
        let at = now()
        let policies = Dictionary(latest.values.map { (Self.approvalKey($0.0), $0) }, uniquingKeysWith: { first, _ in first })
        let lookback = policies.values.compactMap { $0.0.mode == .approve ? $0.0.guardrails.cooldown : nil }.max() ?? TimeSpan(seconds: 0)
        // A log that cannot be read keeps what is known: nothing is acted on that the log
        // has not shown approved.
        guard let requests = try? ledger.approvalRequests(closedSince: at.addingTimeInterval(-Double(lookback.seconds))) else { return }
        approvals = ApprovalRequest.newestByInstance(requests)
        for request in approvals.values.sorted(by: { $0.id < $1.id }) {
            let (policy, evaluation) = policies[request.key].map { ($0.0, Optional($0.1)) } ?? (nil, nil)
            switch request.state {
            case .pending where at > request.plan.expiresAt:
                await close(request, as: .approvalExpired, policy: policy, policyHash: policy.flatMap { hashes[$0.name] },
                            evidence: evaluation.flatMap { Self.json($0.evidence) },
                            detail: "not answered by \(request.plan.expiresAt.formatted(.iso8601)); no longer approvable")
            case let .approved(_, approvedAt) where !usedApprovals.contains(request.id):
                guard let policy, let evaluation, policy.mode == .approve else {
                    await close(request, as: .approvalStale, policy: nil, policyHash: nil, evidence: evaluation.flatMap { Self.json($0.evidence) },
                                detail: "the policy no longer exists or no longer asks for approval; nothing was changed")
                    continue
                }
                if evaluation.status != .firing && evaluation.status != .error {
                    await close(request, as: .approvalStale, policy: policy, policyHash: hashes[policy.name], evidence: Self.json(evaluation.evidence),
                                detail: "the policy no longer fires (\(evaluation.status.rawValue)); nothing was changed")
                } else if at > approvedAt.addingTimeInterval(Double(policy.approvalExpires.seconds)) {
                    await close(request, as: .approvalStale, policy: policy, policyHash: hashes[policy.name], evidence: Self.json(evaluation.evidence),
                                detail: "not carried out within \(policy.approvalExpires) of the approval; nothing was changed")
                }
            default:
                break
            }
        }
    }

    /// Records that `request` ended as `kind` (expired or stale), linked to it.
    /// `evidence` is what the policy was judged on when it closed, if known; the state before
    /// is the target as the request was planned against.
    private func close(_ request: ApprovalRequest, as kind: DecisionKind, policy: Policy?, policyHash: String?, evidence: String?,
                       detail: String) async {
        let at = now()
        closeApproval(request, at: at)
        let record = DecisionRecord(at: at, kind: kind, policy: request.policy, policyHash: policyHash,
                                    target: request.target, reason: kind.rawValue, detail: detail, evidence: evidence,
                                    action: policy?.action?.kind.rawValue, parameters: Self.json(request.plan), mode: policy?.mode.rawValue, intentID: request.id,
                                    stateBefore: Self.json(RecordedTargetState(request.plan.plannedAgainst)))
        await self.record(record, receivers: policy?.notify ?? []) { _ in "\(request.policy) on \(request.target): request \(request.id) \(detail)" }
    }

    /// Asks for approval of `change`, planned against `state`, unless a request of the
    /// instance is open, or the last one closed less than the policy's cooldown ago.
    func requestApproval(_ change: PlannedChange, policy: Policy, base: DecisionRecord, state: TargetState, evaluation: Evaluation) async {
        let key = Self.approvalKey(policy)
        switch policy.approvalStep(newest: approvals[key], change: change, now: base.at) {
        case .requestApproval:
            break
        case .hold(.approvalPending, _), .act, .dryRun:
            // Asked already: nothing to record while the answer is awaited (an approval is
            // carried out by `use`, before this is reached).
            return
        case let .hold(reason, change):
            await hold(reason, change: change, policy: policy, base: base)
            return
        }
        guard actedOn[policy.instanceKey] != evaluation.judgedPeriod else { return }
        actedOn[policy.instanceKey] = evaluation.judgedPeriod
        lastHold[policy.instanceKey] = nil
        let plan = ApprovalPlan(change: change, plannedAgainst: state.snapshot,
                                expiresAt: base.at.addingTimeInterval(Double(policy.approvalExpires.seconds)),
                                digest: Self.digest(change, against: state.snapshot))
        var request = base
        request.kind = .approvalRequested
        request.reason = evaluation.reason.code
        request.detail = "approval requested: \(change.summary), until \(plan.expiresAt.formatted(.iso8601))"
        request.parameters = Self.json(plan)
        // Known at once, so that no second request is made before the log is read again.
        approvals[key] = ApprovalRequest(id: 0, policy: policy.name, target: policy.target.id, requestedAt: base.at, plan: plan, state: .pending)
        await record(request, receivers: policy.notify) { id in
            let answer = id.map { "run `reflex approve \($0)` or `reflex deny \($0)`" } ?? "the request is not in the log yet"
            return "\(policy.name) asks for approval: \(change.summary) on \(policy.target.id); \(answer) before \(plan.expiresAt.formatted(.iso8601))"
        }
    }

    /// Carries out an approved request, decided anew as approved: the change is made only on
    /// the target as it was when asked, when the guardrails let it through, and when it is the
    /// change approved. A stale target or change, and a hold, close the approval; a passing
    /// hold (the target could not be read, another action is in flight) leaves it for a later
    /// cycle.
    func use(_ approval: ApprovalRequest, decision: ActionDecision, policy: Policy, policyHash: String?, state: TargetState?,
             evaluation: Evaluation) async {
        let base = Self.base(policy, policyHash: policyHash, at: now(), evaluation: evaluation, state: state)
        guard !usedApprovals.contains(approval.id) else { return }
        if let state, state.snapshot != approval.plan.plannedAgainst {
            await closeStale(approval, policy: policy, base: base,
                             why: "the target changed since the request (\(state.snapshot.differences(from: approval.plan.plannedAgainst).joined(separator: "; ")))")
            return
        }
        switch decision {
        case let .act(change):
            guard let state else { return }
            guard Self.digest(change, against: state.snapshot) == approval.plan.digest else {
                await closeStale(approval, policy: policy, base: base,
                                 why: "the change would now be \(change.summary), not \(approval.plan.change.summary)")
                return
            }
            actedOn[policy.instanceKey] = evaluation.judgedPeriod
            lastHold[policy.instanceKey] = nil
            await execute(change, policy: policy, base: base, state: state, evaluation: evaluation, approval: approval)
        case let .hold(reason, change):
            if case .targetUnreadable = reason { return }
            if case .actionInFlight = reason { return }
            closeApproval(approval, at: base.at)
            var held = base
            held.reason = reason.code
            held.detail = "approved request \(approval.id) not carried out: \(reason.summary)"
            held.parameters = change.flatMap(Self.json)
            held.intentID = approval.id
            await record(held, notify: policy, summary: "\(policy.name): \(held.detail ?? "")")
        case .dryRun, .requestApproval:
            // An approved approve-mode policy decides to act or to hold.
            return
        }
    }

    /// Records that `approval` is stale for the reason `why`: nothing is changed.
    private func closeStale(_ approval: ApprovalRequest, policy: Policy, base: DecisionRecord, why: String) async {
        await close(approval, as: .approvalStale, policy: policy, policyHash: base.policyHash, evidence: base.evidence,
                    detail: "\(why); nothing was changed")
    }
}
