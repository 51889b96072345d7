import Foundation

/// One row of the decision log, as the pipeline hands it over: everything an auditor needs to
/// know what Reflex saw, decided and did. Fields that do not apply to the kind are nil.
public struct DecisionRecord: Hashable, Sendable, Codable {
    /// When the decision was made.
    public var at: Date
    /// What the row records.
    public var kind: DecisionKind
    /// The policy's name.
    public var policy: String?
    /// The SHA-256 of the policy's text, to find the exact words in `policy_versions`.
    public var policyHash: String?
    /// The target's id, e.g. `ecs:ecommerce/cart-service`.
    public var target: String?
    /// The state before, for state changes.
    public var stateFrom: String?
    /// The state after, for state changes.
    public var stateTo: String?
    /// A stable reason code (`EvaluationReason.code`, `HoldReason.code`, an AWS error code...).
    public var reason: String?
    /// A one-line explanation for humans.
    public var detail: String?
    /// The evidence as JSON: judged periods, values, the threshold, the query.
    public var evidence: String?
    /// The action kind, e.g. `ecs_rollback`.
    public var action: String?
    /// The action's concrete change as JSON, e.g. the revisions or capacities before and after.
    public var parameters: String?
    /// `dry-run` or `enforce`.
    public var mode: String?
    /// The earlier decision this one follows from: for an outcome, the intent it completes; for
    /// an answer to an approval request (and the intent, hold or stale record that uses it),
    /// the request.
    public var intentID: Int64?
    /// The AWS request id of the call, when one was made.
    public var awsRequestID: String?
    /// The outcome in a word: `succeeded`, `failed`, `verified`, ...
    public var outcome: String?
    /// On action and approval records, the target as it was read before the decision, as
    /// JSON: counts, capacities, billing mode, revision and task definition.
    public var stateBefore: String?
    /// On `action-executed`, the change made and the target as it leaves it, as JSON.
    public var change: String?

    /// A record; only the time and kind are required.
    public init(at: Date, kind: DecisionKind, policy: String? = nil, policyHash: String? = nil, target: String? = nil,
                stateFrom: String? = nil, stateTo: String? = nil, reason: String? = nil, detail: String? = nil,
                evidence: String? = nil, action: String? = nil, parameters: String? = nil, mode: String? = nil,
                intentID: Int64? = nil, awsRequestID: String? = nil, outcome: String? = nil, stateBefore: String? = nil,
                change: String? = nil) {
        self.at = at
        self.kind = kind
        self.policy = policy
        self.policyHash = policyHash
        self.target = target
        self.stateFrom = stateFrom
        self.stateTo = stateTo
        self.reason = reason
        self.detail = detail
        self.evidence = evidence
        self.action = action
        self.parameters = parameters
        self.mode = mode
        self.intentID = intentID
        self.awsRequestID = awsRequestID
        self.outcome = outcome
        self.stateBefore = stateBefore
        self.change = change
    }
}
