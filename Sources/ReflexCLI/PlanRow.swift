import Foundation
import ReflexAWS
import ReflexAudit
import ReflexCore
import ReflexPolicyFile

/// One policy instance's line in `reflex plan`: its state, the evidence, and what it would do.
struct PlanRow: Sendable {
    let policy: Policy
    let evaluation: Evaluation
    /// `none` when not firing, else `act`, `dry-run`, `ask` (for approval) or `hold`.
    let decision: String
    /// The change, or why it would be held back.
    let detail: String

    /// The row of `policy` as evaluated; a firing one reads its target and goes through the
    /// guardrails with what the decision log holds (`logged`), or as if nothing had happened
    /// when there is no log to read.
    static func make(_ policy: Policy, _ evaluation: Evaluation, reader: any Actuator, config: DaemonConfig, logged: LoggedGuardrails?,
                     now: Date) async -> PlanRow {
        guard evaluation.status == .firing else {
            return PlanRow(policy: policy, evaluation: evaluation, decision: "none", detail: "")
        }
        do {
            let state = try await reader.read(policy.target)
            let fresh = LoggedGuardrails(history: [], safeMode: config.safeMode, openCircuits: [], targetsInFlight: [])
            let context = (logged ?? fresh).context(now: now, globalBudget: config.globalBudget, deployedAt: state.deployedAt,
                                                   conditionGateHolds: evaluation.gateHolds)
            var decision = ActionDecision.decide(policy, context: context, snapshot: state.snapshot)
            if case let .requestApproval(change) = decision, let logged {
                decision = policy.approvalStep(newest: logged.approvals[CircuitKey(policy: policy.name, target: policy.target.id)],
                                               change: change, now: now)
            }
            switch decision {
            case let .act(change): return PlanRow(policy: policy, evaluation: evaluation, decision: "act", detail: change.summary)
            case let .requestApproval(change):
                return PlanRow(policy: policy, evaluation: evaluation, decision: "ask", detail: "approval of: \(change.summary)")
            case let .dryRun(change): return PlanRow(policy: policy, evaluation: evaluation, decision: "dry-run", detail: change.summary)
            case let .hold(reason, _): return PlanRow(policy: policy, evaluation: evaluation, decision: "hold", detail: "\(reason.code): \(reason.summary)")
            }
        } catch {
            // Fail closed: without the target's state there is no action to plan.
            return PlanRow(policy: policy, evaluation: evaluation, decision: "hold", detail: "target unreadable: \(error)")
        }
    }

    private static func number(_ value: Double?) -> String {
        guard let value else { return "-" }
        return value == value.rounded() && abs(value) < 1e12 ? String(Int(value)) : String(format: "%.4g", value)
    }

    /// The comparison on the newest period; "-" when there is none (the reason says why once,
    /// in its own column).
    var evidence: String {
        let evidence = evaluation.evidence
        guard let comparator = evidence.comparator else { return "-" }
        return "\(Self.number(evidence.observed)) \(comparator) \(Self.number(evidence.threshold))"
    }

    static func table(_ rows: [PlanRow]) -> String {
        let header = ["POLICY", "TARGET", "MODE", "STATE", "EVIDENCE", "REASON", "WOULD", "ACTION"]
        let cells = rows.map { row in
            [row.policy.name, row.policy.target.id, row.policy.mode.rawValue, row.evaluation.status.rawValue, row.evidence,
             row.evaluation.reason.summary, row.decision, row.detail]
        }
        return TextTable.render(header: header, rows: cells)
    }

    /// The line above the table of `scope`'s rows: `account prod (111111111111), region eu-west-1:`.
    static func heading(_ scope: Scope, config: DaemonConfig) -> String {
        guard !scope.isHome else { return "the daemon's own account and region:" }
        let account = scope.accountID.map { id in config.account(id: id).map { "account \($0.name) (\(id))" } ?? "account \(id)" }
        let region = scope.region.map { "region \($0)" }
        return [account ?? "the daemon's own account", region ?? "the daemon's region"].joined(separator: ", ") + ":"
    }

    /// One line per fleet policy: `cart-throttling: 60 instances, 3 firing`.
    static func fleetLines(_ policies: [Policy], rows: [PlanRow], fleets: FleetInstances) -> [String] {
        policies.filter(\.isFleet).map { policy in
            let own = rows.filter { $0.policy.name == policy.name }
            var line = "\(policy.name): \(own.count) instance\(own.count == 1 ? "" : "s"), \(own.filter { $0.evaluation.status == .firing }.count) firing"
            let skipped = fleets.skipped.filter { $0.policy == policy.name }.count
            if skipped > 0 { line += ", \(skipped) matched but not judgeable (a variable its dimensions use is missing)" }
            if let failure = fleets.failure(of: policy) { line += ", DISCOVERY FAILED: \(failure)" }
            return line
        }
    }

    static func json(_ rows: [PlanRow]) -> String {
        let objects: [[String: Any]] = rows.map { row in
            var object: [String: Any] = [
                "policy": row.policy.name, "target": row.policy.target.id,
                "account": row.policy.target.scope.accountID as Any, "region": row.policy.target.scope.region as Any, "mode": row.policy.mode.rawValue, "state": row.evaluation.status.rawValue,
                "reason": row.evaluation.reason.code, "summary": row.evaluation.reason.summary, "decision": row.decision,
                "judged_period": StoredTime.format(row.evaluation.judgedPeriod),
                "periods": row.evaluation.evidence.periods.map { period -> [String: Any] in
                    ["start": StoredTime.format(period.start), "breaching": period.breaching as Any,
                     "values": period.values.mapValues { $0 as Any }]
                },
            ]
            if !row.detail.isEmpty { object["action"] = row.detail }
            if let observed = row.evaluation.evidence.observed { object["observed"] = observed }
            if let threshold = row.evaluation.evidence.threshold { object["threshold"] = threshold }
            if let comparator = row.evaluation.evidence.comparator { object["comparator"] = comparator }
            return object
        }
        let data = (try? JSONSerialization.data(withJSONObject: objects, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])) ?? Data()
        return String(decoding: data, as: UTF8.self)
    }
}
