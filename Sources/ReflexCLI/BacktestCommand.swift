import ArgumentParser
import Foundation
import ReflexAudit
import ReflexAWS
import ReflexCore

/// `reflex backtest`: replays the policies over CloudWatch history and prints the decisions
/// they would have made, guardrails included, so a threshold can be tuned before enforcing.
struct BacktestCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backtest",
        abstract: "Replay the policies over CloudWatch history and print the decisions they would have made.",
        discussion: """
            Every series is fetched once. Targets start in their current state (read from AWS) and every action is \
            assumed to succeed. Never acts.
            """)

    @OptionGroup var config: ConfigOptions
    @Option(help: "Start of the replay: RFC 3339, or an age such as 24h.") var from: String
    @Option(help: "End of the replay: RFC 3339, or an age (default: now).") var to: String?
    @Option(help: "How often to evaluate (default: the shortest policy period).") var step: String?
    @Option(help: "table or json.") var format = OutputFormat.table

    func run() async throws {
        let now = Date()
        guard let start = AuditTimeArgument.parse(from, now: now) else { throw ValidationError("--from must be RFC 3339 or an age, found '\(from)'") }
        guard let end = to.map({ AuditTimeArgument.parse($0, now: now) }) ?? now else {
            throw ValidationError("--to must be RFC 3339 or an age, found '\(to ?? "")'")
        }
        guard start < end else { throw ValidationError("--from must be before --to") }
        let stepSpan = try step.map { text -> TimeSpan in
            guard let span = TimeSpan(parsing: text), span.seconds > 0 else { throw ValidationError("--step must be a duration such as 1m") }
            return span
        }
        let set = try PolicySet.load(config)
        guard let interval = stepSpan ?? set.policies.map(\.period).min() else {
            print("no policies")
            return
        }
        let aws = try AWSReach(config: set.config)
        // Fleets are replayed over the instances they have now.
        let policies = try await FleetInstances.discoverAll(set.policies, using: aws.discovery, command: "backtest").instances
        let first = MetricsWindow(policies: policies, at: start), last = MetricsWindow(policies: policies, at: end)
        let fetched = FetchedMetrics(await aws.seriesSources().fetch(last.queries, from: first.start, to: last.end))
        let failures = policies.compactMap { policy -> String? in
            guard case let .failure(failure) = fetched.series(for: policy) else { return nil }
            return "\(policy.name): \(failure.message)"
        }
        guard failures.isEmpty else {
            failures.forEach { printError("reflex backtest: \($0)") }
            throw ExitCode.usageError
        }
        var snapshots: [String: TargetSnapshot] = [:]
        var deployedAt: [String: Date] = [:]
        let reader = aws.actuator
        let targets = Array(Set(policies.map(\.target))).sorted { $0.id < $1.id }
        let states = await targets.concurrentMap(limit: 16) { target in try? await reader.read(target) }
        for (target, state) in zip(targets, states) {
            guard let state else { continue }
            snapshots[target.id] = state.snapshot
            deployedAt[target.id] = state.deployedAt
        }
        let simulator = PolicySimulator(
            policies: policies, series: { (try? fetched.series(for: $0).get()) ?? [:] }, deployedAt: deployedAt, snapshots: snapshots,
            safeMode: set.config.safeMode, globalBudget: set.config.globalBudget)
        let rows = BacktestRow.changes(in: simulator.run(from: start, through: end, step: interval))
        switch format {
        case .table: print(BacktestRow.table(rows))
        case .json: print(BacktestRow.json(rows))
        }
    }
}

/// A moment worth reporting in a backtest: a state change, or an action decision that differs
/// from the policy's previous one.
struct BacktestRow {
    let step: SimulationStep

    static func changes(in steps: [SimulationStep]) -> [BacktestRow] {
        var lastDecision: [String: String] = [:]
        return steps.compactMap { step in
            let instance = "\(step.evaluation.policy) \(step.target.id)"
            let decision = describe(step.decision)
            defer { lastDecision[instance] = decision }
            let actionTaken = step.decision.map { if case .hold = $0 { false } else { true } } ?? false
            guard step.evaluation.changed || actionTaken || decision != lastDecision[instance, default: ""] else { return nil }
            return BacktestRow(step: step)
        }
    }

    static func describe(_ decision: ActionDecision?) -> String {
        switch decision {
        case let .act(change)?: "act: \(change.summary)"
        case let .dryRun(change)?: "dry-run: \(change.summary)"
        case let .requestApproval(change)?: "ask: approval of \(change.summary)"
        case let .hold(reason, _)?: "hold: \(reason.code) (\(reason.summary))"
        case nil: ""
        }
    }

    static func table(_ rows: [BacktestRow]) -> String {
        let header = ["TIME", "POLICY", "TARGET", "STATE", "REASON", "DECISION"]
        let cells = rows.map { row -> [String] in
            let evaluation = row.step.evaluation
            let state = evaluation.changed ? "\(evaluation.previous.rawValue)->\(evaluation.status.rawValue)" : evaluation.status.rawValue
            return [StoredTime.format(evaluation.at), evaluation.policy, row.step.target.id, state, evaluation.reason.summary,
                    describe(row.step.decision)]
        }
        let table = TextTable.render(header: header, rows: cells)
        let actions = rows.filter { if case .act? = $0.step.decision { true } else if case .dryRun? = $0.step.decision { true } else { false } }.count
        return table + "\n\(rows.count) decisions, \(actions) actions"
    }

    static func json(_ rows: [BacktestRow]) -> String {
        let objects: [[String: Any]] = rows.map { row in
            let evaluation = row.step.evaluation
            var object: [String: Any] = ["time": StoredTime.format(evaluation.at), "policy": evaluation.policy, "target": row.step.target.id,
                                         "from": evaluation.previous.rawValue, "state": evaluation.status.rawValue, "reason": evaluation.reason.code]
            if row.step.decision != nil { object["decision"] = describe(row.step.decision) }
            return object
        }
        let data = (try? JSONSerialization.data(withJSONObject: objects, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])) ?? Data()
        return String(decoding: data, as: UTF8.self)
    }
}
