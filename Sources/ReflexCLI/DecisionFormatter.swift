import Foundation
import ReflexAudit
import ReflexCore

/// Renders decisions for `reflex audit`: an aligned table for people, JSON and CSV for tools.
enum DecisionFormatter {
    static let columns = ["id", "recorded_at", "kind", "policy", "target", "state_from", "state_to", "reason", "detail",
                          "action", "parameters", "mode", "intent_id", "aws_request_id", "outcome", "policy_hash", "evidence",
                          "state_before", "change", "hash"]

    /// Every field of a decision by column name; JSON columns as parsed JSON.
    static func fields(_ decision: StoredDecision) -> [String: Any] {
        let record = decision.record
        let values: [String: Any?] = [
            "id": decision.id, "recorded_at": decision.recordedAt,
            "kind": record.kind.rawValue, "policy": record.policy, "target": record.target, "state_from": record.stateFrom,
            "state_to": record.stateTo, "reason": record.reason, "detail": record.detail, "action": record.action,
            "parameters": record.parameters.map(json), "mode": record.mode, "intent_id": record.intentID,
            "aws_request_id": record.awsRequestID, "outcome": record.outcome, "policy_hash": record.policyHash,
            "evidence": record.evidence.map(json), "state_before": record.stateBefore.map(json), "change": record.change.map(json),
            "hash": decision.hash,
        ]
        return values.compactMapValues { $0 }
    }

    /// One JSON object per decision, keys sorted.
    static func jsonLine(_ decision: StoredDecision) -> String {
        let data = (try? JSONSerialization.data(withJSONObject: fields(decision), options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data("{}".utf8)
        return String(decoding: data, as: UTF8.self)
    }

    /// A JSON array of decisions.
    static func jsonArray(_ decisions: [StoredDecision]) -> String {
        "[" + decisions.map(jsonLine).joined(separator: ",\n ") + "]"
    }

    /// The CSV header line.
    static var csvHeader: String { columns.joined(separator: ",") }

    /// One CSV line (RFC 4180 quoting) with JSON columns as JSON text.
    static func csvLine(_ decision: StoredDecision) -> String {
        let record = decision.record
        let values: [String?] = [
            String(decision.id), decision.recordedAt, record.kind.rawValue, record.policy, record.target,
            record.stateFrom, record.stateTo, record.reason, record.detail, record.action, record.parameters, record.mode,
            record.intentID.map(String.init), record.awsRequestID, record.outcome, record.policyHash, record.evidence,
            record.stateBefore, record.change, decision.hash,
        ]
        return values.map { csvField($0 ?? "") }.joined(separator: ",")
    }

    /// An aligned table of the columns people read first.
    static func table(_ decisions: [StoredDecision]) -> String {
        let header = ["ID", "TIME", "KIND", "POLICY", "TARGET", "STATE", "REASON", "MODE", "OUTCOME", "DETAIL"]
        let rows = decisions.map { decision -> [String] in
            let record = decision.record
            let state = record.stateTo.map { "\(record.stateFrom ?? "?")->\($0)" } ?? ""
            return [String(decision.id), decision.recordedAt, record.kind.rawValue, record.policy ?? "",
                    record.target ?? "", state, record.reason ?? "", record.mode ?? "", record.outcome ?? "", record.detail ?? ""]
        }
        return TextTable.render(header: header, rows: rows)
    }

    private static func json(_ text: String) -> Any {
        (try? JSONSerialization.jsonObject(with: Data(text.utf8), options: [.fragmentsAllowed])) ?? text
    }

    private static func csvField(_ value: String) -> String {
        guard value.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return value }
        return "\"" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
