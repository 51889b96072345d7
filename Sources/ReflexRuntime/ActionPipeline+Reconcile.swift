import Foundation
import ReflexCore

extension ActionPipeline {
    /// At start-up: every intent without an outcome (an action in flight when Reflex stopped,
    /// or whose outcome the log refused) is checked against the target's state and recorded as
    /// applied or not. Nothing is sent again. A target that cannot be read stays blocked, and
    /// `retryReconciliation()` tries it again every cycle until it can be read.
    /// Returns the number of intents reconciled.
    /// `cause` is what left them open, for the record: `restart`, or `takeover` when a new
    /// leader of a highly available pair adopted another node's intents.
    @discardableResult
    public func reconcile(after cause: String = "restart") async -> Int {
        await reconcile(where: { _ in true }, cause: cause)
    }

    /// Reconciles the intents whose target could not be read before; called every cycle, and
    /// cheap when there are none.
    @discardableResult
    public func retryReconciliation() async -> Int {
        let waiting = awaitingReconciliation
        guard !waiting.isEmpty else { return 0 }
        return await reconcile(where: { waiting.contains($0) }, cause: "restart")
    }

    private func reconcile(where included: (String) -> Bool, cause: String) async -> Int {
        guard let intents = try? ledger.pendingIntents() else { return 0 }
        var reconciled = 0
        for intent in intents where included(intent.record.target ?? "") {
            let record = intent.record
            guard let id = record.target, let target = Target(id: id), let parameters = record.parameters,
                  let change = try? JSONDecoder().decode(PlannedChange.self, from: Data(parameters.utf8))
            else {
                await close(intent, outcome: "unknown", detail: "the intent cannot be read back; check the target by hand", cause: cause)
                reconciled += 1
                continue
            }
            do {
                let state = try await actuator.read(target)
                let applied = change.isReflected(in: state, since: record.at)
                await close(intent, outcome: applied ? "applied" : "not-applied",
                            detail: applied ? "\(change.summary): found applied after a \(cause)"
                                : "\(change.summary): not applied before the \(cause); not repeated", cause: cause)
                awaitingReconciliation.remove(id)
                reconciled += 1
            } catch {
                awaitingReconciliation.insert(id)
            }
        }
        return reconciled
    }

    private func close(_ intent: PendingIntent, outcome: String, detail: String, cause: String) async {
        let record = DecisionRecord(
            at: now(), kind: .actionReconciled, policy: intent.record.policy, policyHash: intent.record.policyHash, target: intent.record.target,
            reason: cause, detail: detail, evidence: intent.record.evidence, action: intent.record.action, parameters: intent.record.parameters,
            mode: intent.record.mode, intentID: intent.id, outcome: outcome, stateBefore: intent.record.stateBefore)
        let id = persist(record)
        await notifier.notify(NotificationEvent(kind: record.kind.rawValue, policy: record.policy, target: record.target, decisionID: id,
                                                summary: detail, at: record.at, receivers: []))
    }
}
