import ArgumentParser
import Foundation
import ReflexAudit
import ReflexCore

/// `reflex audit`: the auditors' view of the decision log.
struct AuditCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit",
        abstract: "Query, export, verify and prune the decision log.",
        subcommands: [AuditListCommand.self, AuditShowCommand.self, AuditExportCommand.self, AuditVerifyCommand.self,
                      AuditPruneCommand.self, AuditDeliveriesCommand.self, AuditRedeliverCommand.self, AuditKeygenCommand.self,
                      AuditCheckpointsCommand.self, AuditCheckpointCommand.self]
    )
}

/// The output formats of the audit commands.
enum AuditFormat: String, ExpressibleByArgument, CaseIterable {
    case table, json, csv
}

/// The filters shared by `list` and `export`.
struct AuditFilterOptions: ParsableArguments {
    @Option(help: "Only decisions at or after this time (inclusive): RFC 3339, or an age such as 24h or 7d.")
    var since: String?
    @Option(help: "Only decisions at or before this time (inclusive): RFC 3339, or an age.")
    var until: String?
    @Option(help: "Only decisions of this policy.")
    var policy: String?
    @Option(help: "Only decisions about targets matching this glob, e.g. ecs:ecommerce/cart-service or 'dynamodb:cart-*'.")
    var target: String?
    @Option(help: "Only decisions with this reason code, e.g. cooldown.")
    var reason: String?
    @Option(help: "Only decisions in this mode: dry-run or enforce.")
    var mode: String?
    @Option(help: "Only decisions of this kind, e.g. action-executed.")
    var kind: String?

    /// A kind or mode Reflex never records would match nothing, as if nothing had happened.
    func validate() throws {
        try Self.check(kind, "kind", among: DecisionKind.allCases.map(\.rawValue))
        try Self.check(mode, "mode", among: PolicyMode.allCases.map(\.rawValue))
    }

    /// The filter, once its reason is checked as the kind and mode are: `recordedReasons` (the
    /// log's own, which include AWS error codes) is read only for a reason outside Reflex's
    /// fixed codes.
    func filter(now: Date, recordedReasons: () throws -> Set<String>) throws -> DecisionFilter {
        if let reason, !DecisionReasons.known.contains(reason) {
            try Self.check(reason, "reason", among: DecisionReasons.known.union(try recordedReasons()))
        }
        func time(_ text: String?, _ name: String) throws -> Date? {
            guard let text else { return nil }
            guard let date = AuditTimeArgument.parse(text, now: now) else {
                throw ValidationError("--\(name) must be an RFC 3339 time or an age such as 24h, found '\(text)'")
            }
            return date
        }
        return DecisionFilter(since: try time(since, "since"), until: try time(until, "until"), policy: policy, target: target,
                              reason: reason, mode: mode, kind: kind)
    }
}

extension AuditFilterOptions {
    /// Refuses `value` unless it is one of `known`, suggesting the closest.
    static func check(_ value: String?, _ name: String, among known: some Collection<String>) throws {
        guard let value, !known.contains(value) else { return }
        let hint = NearestName.didYouMean(value, among: known)
        throw ValidationError("unknown --\(name) '\(value)'\(hint) (known: \(known.sorted().joined(separator: ", ")))")
    }
}

/// Runs a command's body on the decision log, turning database problems into exit code 2.
func withDecisionLog<T>(_ body: () throws -> T) throws -> T {
    do {
        return try body()
    } catch {
        guard let message = AuditError.userMessage(for: error) else { throw error }
        printError("reflex: \(message)")
        throw ExitCode.usageError
    }
}

struct AuditListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List decisions, newest first.")

    @OptionGroup var database: DatabaseOptions
    @OptionGroup var filters: AuditFilterOptions
    @Option(help: "At most this many decisions.") var limit = 50
    @Option(help: "table, json or csv.") var format = AuditFormat.table

    func run() throws {
        let reader = try withDecisionLog { try AuditReader(path: try database.path()) }
        let filter = try filters.filter(now: Date()) { try withDecisionLog { try reader.recordedReasons() } }
        let decisions = try withDecisionLog { try reader.list(filter, limit: limit) }
        switch format {
        case .table: print(DecisionFormatter.table(decisions))
        case .json: print(DecisionFormatter.jsonArray(decisions))
        case .csv:
            print(DecisionFormatter.csvHeader)
            decisions.forEach { print(DecisionFormatter.csvLine($0)) }
        }
    }
}

struct AuditShowCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "show", abstract: "Everything about one decision, with the policy text that made it.")

    @OptionGroup var database: DatabaseOptions
    @Argument(help: "The decision's id.") var id: Int64
    @Option(help: "table or json.") var format = AuditFormat.table

    func run() throws {
        let (decision, policyText, related) = try withDecisionLog { try AuditReader(path: try database.path()).show(id: id) }
        if format == .json {
            var fields = DecisionFormatter.fields(decision)
            fields["policy_text"] = policyText
            fields["related"] = related.map(Self.relatedFields)
            let data = try JSONSerialization.data(withJSONObject: fields, options: [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes])
            print(String(decoding: data, as: UTF8.self))
            return
        }
        let fields = DecisionFormatter.fields(decision)
        for column in DecisionFormatter.columns {
            guard let value = fields[column] else { continue }
            let text: String
            if JSONSerialization.isValidJSONObject(value), let data = try? JSONSerialization.data(withJSONObject: value, options: [.sortedKeys, .withoutEscapingSlashes]) {
                text = String(decoding: data, as: UTF8.self)
            } else {
                text = "\(value)"
            }
            print("\(column.padding(toLength: 15, withPad: " ", startingAt: 0)) \(text)")
        }
        if !related.isEmpty {
            print("related:")
            for row in related {
                let fields = Self.relatedFields(row)
                print("  " + ["id", "recorded_at", "kind", "outcome", "detail"].compactMap { fields[$0].map { "\($0)" } }.joined(separator: "  "))
            }
        }
        if let policyText { print("policy_text:\n\(policyText)") }
    }

    /// A linked decision in brief: what it was, when, and how it ended.
    private static func relatedFields(_ decision: StoredDecision) -> [String: Any] {
        DecisionFormatter.fields(decision).filter { ["id", "recorded_at", "kind", "outcome", "detail"].contains($0.key) }
    }
}

struct AuditExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "export", abstract: "Stream decisions, oldest first, as JSON lines or CSV.")

    @OptionGroup var database: DatabaseOptions
    @OptionGroup var filters: AuditFilterOptions
    @Option(help: "json (one object per line) or csv.") var format = AuditFormat.json

    func validate() throws {
        guard format != .table else { throw ValidationError("export writes json or csv") }
    }

    func run() throws {
        let reader = try withDecisionLog { try AuditReader(path: try database.path()) }
        let filter = try filters.filter(now: Date()) { try withDecisionLog { try reader.recordedReasons() } }
        if format == .csv { print(DecisionFormatter.csvHeader) }
        try withDecisionLog {
            try reader.export(filter) { decision in
                print(format == .csv ? DecisionFormatter.csvLine(decision) : DecisionFormatter.jsonLine(decision))
            }
        }
    }
}

struct AuditPruneCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "prune", abstract: "Remove decisions older than a time, keeping the chain verifiable; the prune is itself recorded.")

    @OptionGroup var database: DatabaseOptions
    @Option(help: "Remove decisions recorded before this time: RFC 3339, or an age such as 90d.") var before: String

    func run() throws {
        let now = Date()
        guard let cutoff = AuditTimeArgument.parse(before, now: now) else {
            throw ValidationError("--before must be an RFC 3339 time or an age such as 90d, found '\(before)'")
        }
        let removed = try withDecisionLog { try DecisionStore(path: try database.path()).prune(before: cutoff, now: now) }
        print("removed \(removed) decisions recorded before \(cutoff.formatted(.iso8601))")
    }
}

struct AuditDeliveriesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "deliveries", abstract: "Webhook deliveries, newest first: who was told what, and whether it arrived.")

    @OptionGroup var database: DatabaseOptions
    @Option(help: "Only the deliveries of this decision.") var decision: Int64?
    @Option(help: "At most this many deliveries.") var limit = 50

    func run() throws {
        let rows = try withDecisionLog { try AuditReader(path: try database.path()).deliveries(decision: decision, limit: limit) }
        print(TextTable.render(
            header: ["WEBHOOK-ID", "RECEIVER", "DECISION", "EVENT", "STATE", "ATTEMPTS", "LAST", "DELIVERED"],
            rows: rows.map { row in
                [row.webhookID, row.receiver, String(row.decisionID), row.event, row.state, String(row.attempts),
                 row.lastError ?? row.lastStatus.map { "HTTP \($0)" } ?? "", row.deliveredAt ?? ""]
            }))
    }
}
