import Foundation
import Logging
import ReflexCore

extension Daemon {
    /// Resumes from the decision log what the previous run left: each policy instance's state
    /// (for a policy whose text has not changed since), so that a policy still firing is not
    /// "fired" again and one that resolved meanwhile is recorded resolved; and the verifications
    /// of actions executed within their window, which go on. Call before the first cycle.
    public func resume() async {
        let policies = Dictionary(policySet.policies.map { ($0.name, $0) }) { first, _ in first }
        do {
            var restored = 0
            for recorded in try ledger.lastStates() {
                guard let key = instanceKey(recorded.policy, recorded.target, in: policies),
                      recorded.policyHash == policySet.hashes[recorded.policy] else { continue }
                states[key] = recorded.state
                restored += 1
            }
            let longest = policySet.policies.map(\.verifyWithin.seconds).max() ?? 0
            var verifications: [ActionPipeline.ResumedVerification] = []
            for action in try ledger.unverifiedActions(since: now().addingTimeInterval(-Double(longest))) {
                guard let key = instanceKey(action.policy, action.target, in: policies), let policy = policies[action.policy] else { continue }
                verifications.append(.init(instanceKey: key, intentID: action.intentID,
                                           deadline: action.executedAt.addingTimeInterval(Double(policy.verifyWithin.seconds))))
            }
            await pipeline.resume(verifications)
            if restored > 0 || !verifications.isEmpty {
                logger.notice("resumed \(restored) policy state(s) and \(verifications.count) pending verification(s) from the decision log")
            }
        } catch {
            // Not resuming is starting afresh, as a first start does: states are judged anew.
            logger.error("cannot read the previous run's states from the decision log; starting from insufficient-data: \(error)")
        }
    }

    /// The key of the instance of `policy` on `target`, if the policy still exists and covers it
    /// (a single-target policy whose target changed does not).
    func instanceKey(_ policy: String, _ target: String, in policies: [String: Policy]) -> String? {
        guard let current = policies[policy] else { return nil }
        if current.hasManyInstances { return Policy.instanceKey(policy: policy, targetID: target) }
        return current.scopeInstances.contains { $0.target.id == target } ? policy : nil
    }
}
