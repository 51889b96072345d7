import Foundation
import ReflexCore

extension ActionPipeline {
    /// At start-up: every intent without an outcome (an action in flight when Reflex stopped)
    /// is checked against the target's state and recorded as applied or not. Nothing is sent
    /// again. Targets that cannot be read stay blocked (in flight) until a later call succeeds.
    /// Returns the number of intents reconciled.
    @discardableResult
    public func reconcile() async -> Int {
        guard let intents = try? ledger.pendingIntents() else { return 0 }
        var reconciled = 0
        for intent in intents {
            let record = intent.record
            guard let id = record.target, let target = Target(id: id), let parameters = record.parameters,
                  let change = try? JSONDecoder().decode(PlannedChange.self, from: Data(parameters.utf8))
            else {
                await close(intent, outcome: "unknown", detail: "the intent cannot be read back; check the target by hand")
                reconciled += 1
                continue
            }
            do {
                let state = try await actuator.read(target)
                let applied = change.isReflected(in: state, since: record.at)
                await close(intent, outcome: applied ? "applied" : "not-applied",
                            detail: applied ? "\(change.summary): found applied after a restart"
                                : "\(change.summary): not applied before the restart; not repeated")
                unblock(id)
                reconciled += 1
            } catch {
                block(id)
            }
        }
        return reconciled
    }

    private func close(_ intent: PendingIntent, outcome: String, detail: String) async {
        let record = DecisionRecord(
            at: now(), kind: .actionReconciled, policy: intent.record.policy, policyHash: intent.record.policyHash, target: intent.record.target,
            reason: "restart", detail: detail, action: intent.record.action, parameters: intent.record.parameters, mode: intent.record.mode,
            intentID: intent.id, outcome: outcome)
        let id = try? ledger.append(record)
        await notifier.notify(NotificationEvent(kind: record.kind.rawValue, policy: record.policy, target: record.target, decisionID: id,
                                                summary: detail, at: record.at, receivers: []))
    }
}
