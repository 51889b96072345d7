import Foundation

/// Replays policies over known series, stepping time forward and running the whole decision
/// pipeline (evaluation, guardrails, planning) as the daemon would, assuming every action
/// succeeds. Policy unit tests and backtests are both built on it.
public struct PolicySimulator: Sendable {
    /// The policies, evaluated in this order at every step: policies over one target and
    /// instances of fleet policies (`Policy.instance(for:)`), each with its own state.
    public let policies: [Policy]
    /// Each policy's (or instance's) series by metric name.
    public let series: @Sendable (Policy) -> [String: MetricSeries]
    /// When each target was last deployed, by target id.
    public var deployedAt: [String: Date]
    /// Each target's state before the first step, by target id.
    public var snapshots: [String: TargetSnapshot]
    /// Whether safe mode is on.
    public var safeMode: Bool
    /// The daemon-wide budget.
    public var globalBudget: Budget?

    /// A simulator over `policies` reading `series`.
    public init(policies: [Policy], series: @escaping @Sendable (Policy) -> [String: MetricSeries],
                deployedAt: [String: Date] = [:], snapshots: [String: TargetSnapshot] = [:],
                safeMode: Bool = false, globalBudget: Budget? = nil) {
        self.policies = policies
        self.series = series
        self.deployedAt = deployedAt
        self.snapshots = snapshots
        self.safeMode = safeMode
        self.globalBudget = globalBudget
    }

    /// Evaluates every policy at `start`, `start + step`, ... up to and including `end`.
    public func run(from start: Date, through end: Date, step: TimeSpan) -> [SimulationStep] {
        precondition(step.seconds > 0, "a simulation needs a positive step")
        // By instance key: the instances of one fleet policy share its name.
        var states = Dictionary(policies.map { ($0.instanceKey, PolicyStatus.insufficientData) }, uniquingKeysWith: { first, _ in first })
        var snapshots = self.snapshots
        var history: [ActionRecord] = []
        // Each approve-mode instance's newest request for approval.
        var requests: [String: ApprovalRequest] = [:]
        var steps: [SimulationStep] = []
        let seriesByPolicy = Dictionary(policies.map { ($0.instanceKey, series($0)) }, uniquingKeysWith: { first, _ in first })
        var now = start
        while now <= end {
            for policy in policies {
                let evaluation = PolicyEvaluator.evaluate(
                    policy, series: .success(seriesByPolicy[policy.instanceKey] ?? [:]), previous: states[policy.instanceKey] ?? .insufficientData,
                    at: now)
                states[policy.instanceKey] = evaluation.status
                var decision: ActionDecision?
                let snapshot = snapshots[policy.target.id] ?? TargetSnapshot()
                if evaluation.status == .firing {
                    let context = GuardrailContext(now: now, history: history, safeMode: safeMode, globalBudget: globalBudget,
                                                   deployedAt: deployedAt[policy.target.id], conditionGateHolds: evaluation.gateHolds)
                    decision = ActionDecision.decide(policy, context: context, snapshot: snapshot)
                    if case let .requestApproval(change)? = decision {
                        // Nobody answers in a simulation: a request expires unanswered, and the
                        // policy asks again once its cooldown has passed.
                        let newest = requests[policy.instanceKey].map { request in
                            guard request.state == .pending, now > request.plan.expiresAt else { return request }
                            return ApprovalRequest(id: request.id, policy: request.policy, target: request.target, requestedAt: request.requestedAt,
                                                   plan: request.plan, state: .closed(at: request.plan.expiresAt))
                        }
                        decision = policy.approvalStep(newest: newest, change: change, now: now)
                        if case .requestApproval? = decision {
                            let plan = ApprovalPlan(change: change, plannedAgainst: snapshot,
                                                    expiresAt: now.addingTimeInterval(Double(policy.approvalExpires.seconds)), digest: "")
                            requests[policy.instanceKey] = ApprovalRequest(id: Int64(steps.count), policy: policy.name, target: policy.target.id,
                                                                           requestedAt: now, plan: plan, state: .pending)
                        }
                    }
                    switch decision {
                    case let .act(change)?, let .dryRun(change)?:
                        history.append(ActionRecord(policy: policy.name, target: policy.target.id, at: now, dryRun: policy.mode == .dryRun))
                        if policy.mode == .enforce { snapshots[policy.target.id] = change.applied(to: snapshot) }
                    default:
                        break
                    }
                }
                steps.append(SimulationStep(
                    evaluation: evaluation, decision: decision, target: policy.target,
                    actionsSoFar: history.filter { $0.policy == policy.name && $0.target == policy.target.id }.count,
                    snapshot: snapshots[policy.target.id] ?? TargetSnapshot()))
            }
            now = now.addingTimeInterval(Double(step.seconds))
        }
        return steps
    }
}
