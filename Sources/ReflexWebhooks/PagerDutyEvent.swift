import Crypto
import Foundation
import ReflexCore

/// The PagerDuty Events API v2 event a decision makes for a `format: pagerduty` receiver. A
/// policy's firing episode on a target is one PagerDuty alert: what pages triggers it, what
/// ends the trouble resolves it, both under the same `dedup_key`. Other events do not go to
/// PagerDuty at all.
enum PagerDutyEvent {
    /// What an event does to its alert.
    enum Action: String {
        case trigger, resolve
    }

    /// PagerDuty's limits on `summary` and `dedup_key`, in characters.
    static let maxSummary = 1024
    static let maxDedupKey = 255

    /// The action of a webhook event `type`, or nil when it does not go to PagerDuty: a policy
    /// firing, an action that failed or did not fix the condition, and a circuit opening
    /// (Reflex stops acting there) trigger; the policy resolving and an action verified resolve.
    static func action(type: String, decision: StoredDecision) -> Action? {
        switch type {
        case "policy.fired", "action.failed", "action.not_verified": .trigger
        case "policy.circuit_changed": decision.record.outcome == "open" ? .trigger : nil
        case "policy.resolved", "action.verified": .resolve
        default: nil
        }
    }

    /// Whether an event goes to PagerDuty: a resolve only while an episode is open, since one
    /// with none (a policy back from an error without having fired) would resolve nothing.
    static func isSent(type: String, decision: StoredDecision, episode: () throws -> Int64?) rethrows -> Bool {
        switch action(type: type, decision: decision) {
        case nil: false
        case .trigger: true
        case .resolve: try episode() != nil
        }
    }

    /// The severity of a trigger: a circuit opened is `critical` (Reflex no longer acts on that
    /// target: a person must), an action that ran but did not fix the condition `warning` (the
    /// alert its firing opened is already `error`), anything else `error`.
    static func severity(type: String) -> String {
        switch type {
        case "policy.circuit_changed": "critical"
        case "action.not_verified": "warning"
        default: "error"
        }
    }

    /// `reflex/POLICY/TARGET/EPISODE`, the same for every event of one firing episode; where
    /// that is longer than PagerDuty takes, policy and target are replaced by their SHA-256.
    static func dedupKey(policy: String, target: String, episode: Int64) -> String {
        let plain = "reflex/\(policy)/\(target)/\(episode)"
        guard plain.count > maxDedupKey else { return plain }
        let digest = SHA256.hash(data: Data("\(policy)/\(target)".utf8)).map { String(format: "%02x", $0) }.joined()
        return "reflex/sha256:\(digest)/\(episode)"
    }

    /// The event for `decision`, reported as `type`, in the alert of `episode` (a trigger that
    /// belongs to no episode, such as an action failing after its policy resolved, is an alert
    /// of its own). `routingKey` is put in here, at send time, and nowhere else.
    static func body(type: String, decision: StoredDecision, episode: Int64?, routingKey: String) -> Data {
        let record = decision.record
        // The dispatcher sends nothing else; a trigger is the answer that cannot lose an alert.
        let action = action(type: type, decision: decision) ?? .trigger
        var event: [String: Any] = [
            "routing_key": routingKey, "event_action": action.rawValue,
            "dedup_key": dedupKey(policy: record.policy ?? "", target: record.target ?? "", episode: episode ?? decision.id),
        ]
        if action == .trigger {
            var details: [String: Any] = ["decision_id": decision.id, "type": type, "audit": "reflex audit show \(decision.id)"]
            let optional: [String: String?] = [
                "reason": record.reason, "detail": record.detail, "action": record.action, "mode": record.mode, "outcome": record.outcome,
            ]
            for (key, value) in optional { if let value { details[key] = value } }
            event["payload"] = [
                "summary": summary(type: type, record: record), "source": record.target ?? "reflex", "severity": severity(type: type),
                "timestamp": decision.recordedAt, "group": record.policy ?? "reflex", "class": type, "custom_details": details,
            ] as [String: Any]
            event["client"] = "Reflex"
        }
        return (try? JSONSerialization.data(withJSONObject: event, options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data("{}".utf8)
    }

    /// One line for the person paged, cut to PagerDuty's limit.
    static func summary(type: String, record: DecisionRecord) -> String {
        var line = "\(record.policy ?? "reflex") \(type)"
        if let target = record.target { line += " on \(target)" }
        if let detail = record.detail { line += ": \(detail)" }
        return line.count > maxSummary ? String(line.prefix(maxSummary - 1)) + "…" : line
    }
}
