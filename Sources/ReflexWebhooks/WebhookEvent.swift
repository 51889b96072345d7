import Foundation
import ReflexCore

/// The JSON that Reflex sends, one schema for every event (`schema: "reflex.event/v1"`),
/// built from the decision that caused it, with its id so that a receiver can link to
/// `reflex audit show ID`.
enum WebhookEvent {
    static let schema = "reflex.event/v1"

    /// The event type of a decision worth telling, or nil.
    static func type(of decision: StoredDecision) -> String? {
        let record = decision.record
        switch record.kind {
        case .stateChange:
            if record.stateTo == "firing" { return "policy.fired" }
            if record.stateTo == "error" { return "policy.degraded" }
            if record.stateFrom == "firing" || record.stateFrom == "error" { return "policy.resolved" }
            return nil
        case .actionExecuted: return "action.executed"
        case .actionFailed: return "action.failed"
        case .actionHeld: return "action.held"
        case .actionDryRun: return "action.dry_run"
        case .actionVerified: return "action.verified"
        case .actionNotVerified: return "action.not_verified"
        case .rolloutChecked: return "action.rollout_checked"
        case .actionReconciled: return "action.reconciled"
        case .approvalRequested: return "action.approval_requested"
        case .approvalGranted: return "action.approved"
        case .approvalDenied: return "action.denied"
        case .approvalExpired: return "action.approval_expired"
        case .approvalStale: return "action.approval_stale"
        case .policiesLoaded: return record.outcome == "rejected" ? "daemon.reload_failed" : nil
        case .safeModeChanged: return "daemon.safe_mode_changed"
        case .circuitChanged: return "policy.circuit_changed"
        case .fleetChanged:
            switch record.reason {
            case "instance-removed": return "fleet.instance_removed"
            case "discovery-failed": return "fleet.discovery_failed"
            case "discovery-recovered": return "fleet.discovery_recovered"
            default: return nil
            }
        case .auditCheckpoint: return "audit.checkpoint"
        case .leadershipChanged: return "daemon.leader_changed"
        case .actionIntent, .pruned, .daemon: return nil
        }
    }

    /// The standard body of `delivery`.
    static func body(of delivery: PendingDelivery) -> Data {
        let decision = delivery.decision
        let record = decision.record
        var data: [String: Any] = ["decision_id": decision.id, "kind": record.kind.rawValue]
        let optional: [String: String?] = [
            "policy": record.policy, "target": record.target, "state_from": record.stateFrom, "state_to": record.stateTo,
            "reason": record.reason, "summary": record.detail, "action": record.action, "mode": record.mode, "outcome": record.outcome,
            "aws_request_id": record.awsRequestID,
        ]
        for (key, value) in optional { if let value { data[key] = value } }
        if let parameters = record.parameters, let json = try? JSONSerialization.jsonObject(with: Data(parameters.utf8)) { data["change"] = json }
        if record.kind == .auditCheckpoint, let checkpoint = delivery.checkpoint,
           let fields = try? JSONSerialization.jsonObject(with: Data(checkpoint.utf8)) {
            // The copy a receiver keeps is what `reflex audit verify --checkpoint` takes.
            data["checkpoint"] = fields
            data["change"] = nil
        }
        if record.kind == .approvalRequested {
            // What the person paged runs: the receiver need not know how Reflex is driven.
            data["approve"] = "reflex approve \(decision.id)"
            data["deny"] = "reflex deny \(decision.id)"
        }
        let event: [String: Any] = [
            "schema": schema, "id": delivery.webhookID, "type": delivery.event, "timestamp": decision.recordedAt,
            "audit": "reflex audit show \(decision.id)", "data": data,
        ]
        return (try? JSONSerialization.data(withJSONObject: event, options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data("{}".utf8)
    }

    /// A Slack incoming-webhook message for people.
    static func slack(type: String, decision: StoredDecision) -> Data {
        let record = decision.record
        let icon = type.hasSuffix("failed") || type.hasSuffix("not_verified") || type == "policy.degraded" ? ":warning:" : ":robot_face:"
        var line = "\(icon) *\(type)*"
        if let policy = record.policy { line += " `\(policy)`" }
        if let target = record.target { line += " on `\(target)`" }
        if let detail = record.detail { line += ": \(detail)" }
        if let mode = record.mode, mode == "dry-run" { line += " _(dry-run)_" }
        line += "\n`reflex audit show \(decision.id)`"
        let message: [String: Any] = ["text": line]
        return (try? JSONSerialization.data(withJSONObject: message, options: [.sortedKeys])) ?? Data("{}".utf8)
    }
}
