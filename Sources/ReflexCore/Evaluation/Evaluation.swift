import Foundation

/// The outcome of evaluating one policy at one moment.
public struct Evaluation: Hashable, Sendable {
    /// The policy's name.
    public let policy: String
    /// When the evaluation ran.
    public let at: Date
    /// The start of the newest judged period.
    public let judgedPeriod: Date
    /// The state before.
    public let previous: PolicyStatus
    /// The state after.
    public let status: PolicyStatus
    /// Why.
    public let reason: EvaluationReason
    /// What it saw.
    public let evidence: Evidence
    /// Whether the policy's `when: { condition }` held on the judged period; nil without one.
    public let gateHolds: Bool?

    /// An evaluation; `PolicyEvaluator` is the usual source.
    public init(policy: String, at: Date, judgedPeriod: Date, previous: PolicyStatus, status: PolicyStatus, reason: EvaluationReason,
                evidence: Evidence, gateHolds: Bool? = nil) {
        self.policy = policy
        self.at = at
        self.judgedPeriod = judgedPeriod
        self.previous = previous
        self.status = status
        self.reason = reason
        self.evidence = evidence
        self.gateHolds = gateHolds
    }

    /// The same verdict without the periods it saw: what is kept of an evaluation for later.
    public var withoutEvidence: Evaluation {
        Evaluation(policy: policy, at: at, judgedPeriod: judgedPeriod, previous: previous, status: status, reason: reason, evidence: .none,
                   gateHolds: gateHolds)
    }

    /// Whether the state changed.
    public var changed: Bool { previous != status }
}
