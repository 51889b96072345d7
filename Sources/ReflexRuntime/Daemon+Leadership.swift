import Foundation
import Logging
import ReflexCore

extension Daemon {
    /// Records a change of this node's role (every node logs its own: auditors see which node
    /// led when), and before a new leader acts, reconciles the intents others left open.
    public func leadershipChanged(_ change: LeadershipChange) async {
        let record = DecisionRecord(at: now(), kind: .leadershipChanged, reason: change.event, detail: change.detail,
                                    outcome: change.epoch.map { "epoch \($0)" })
        // Through the pipeline's log writer: a role change the log refuses now is written later,
        // in order, like every other decision, not lost.
        let id = await pipeline.persist(record)
        await notifier.notify(NotificationEvent(kind: record.kind.rawValue, policy: nil, target: nil, decisionID: id,
                                                summary: change.detail, at: record.at, receivers: []))
        if change.event == "leader-acquired", let epoch = change.epoch, let coordination {
            coordination.beginTakeover(epoch: epoch)
            await completeTakeover()
        }
        if let coordination { role = await coordination.roleDescription() }
    }

    /// Completes a takeover not completed yet (at the acquisition, else at the next cycles, if
    /// the shared state could not be read then), and goes on verifying the adopted actions.
    func completeTakeover() async {
        guard let coordination else { return }
        let pipeline = self.pipeline
        let logger = self.logger
        let longest = policySet.policies.map(\.verifyWithin.seconds).max() ?? 0
        guard let adopted = await coordination.completeTakeover(verifyingSince: now().addingTimeInterval(-Double(longest)), reconcile: {
            let reconciled = await pipeline.reconcile(after: "takeover")
            if reconciled > 0 { logger.notice("reconciled \(reconciled) intent(s) adopted at the takeover") }
        }) else { return }
        let policies = Dictionary(policySet.policies.map { ($0.name, $0) }) { first, _ in first }
        let verifications = adopted.compactMap { action -> ActionPipeline.ResumedVerification? in
            guard let key = instanceKey(action.policy, action.target, in: policies), let policy = policies[action.policy] else { return nil }
            return .init(instanceKey: key, intentID: action.intentID, deadline: action.executedAt.addingTimeInterval(Double(policy.verifyWithin.seconds)))
        }
        await pipeline.resume(verifications)
        role = await coordination.roleDescription()
    }
}
