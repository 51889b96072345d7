import ArgumentParser
import Foundation
import ReflexAWS
import ReflexAudit
import ReflexCore
import ReflexPolicyFile

/// `reflex plan`: one evaluation of every policy against live metrics; never acts.
struct PlanCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plan",
        abstract: "Evaluate every policy once against live metrics and show what it would do. Never acts.")

    @OptionGroup var config: ConfigOptions
    @Option(help: "table or json.") var format = OutputFormat.table
    @Option(help: "Only this policy.") var policy: String?
    @Option(help: "Only targets matching this glob, e.g. 'dynamodb:cart-*'.") var target: String?
    @Flag(help: "Ignore the decision log: plan as if no action had been taken and safe mode were as the config says.") var fresh = false

    func run() async throws {
        let set = try PolicySet.load(config)
        let aws = try AWSReach(config: set.config)
        let now = Date()
        let policies = set.policies.filter { policy == nil || $0.name == policy }
        if let policy, policies.isEmpty {
            printError("reflex plan: no policy named '\(policy)'")
            throw ExitCode.usageError
        }
        let fleets = await FleetInstances.discover(policies, using: aws.discovery)
        let glob = target.map(Glob.init)
        let instances = fleets.instances.filter { glob?.matches($0.target.id) ?? true }
        let window = MetricsWindow(policies: instances, at: now)
        let fetched = FetchedMetrics(await aws.seriesSources().fetch(window.queries, from: window.start, to: window.end))
        let reader = aws.actuator
        let config = set.config
        let logged = fresh ? nil : Self.loggedGuardrails(config: config, instances: instances, now: now)
        // Every firing instance reads its target: side by side, so that a fleet with many
        // firing instances is planned in a few round trips.
        let rows = await instances.concurrentMap(limit: 16) { policy in
            let evaluation = PolicyEvaluator.evaluate(policy, series: fetched.series(for: policy), previous: .insufficientData, at: now)
            return await PlanRow.make(policy, evaluation, reader: reader, config: config, logged: logged, now: now)
        }
        switch format {
        case .table:
            // Across accounts and regions, one table each, under the account's config name.
            let groups = Dictionary(grouping: rows, by: \.policy.target.scope)
            if groups.count > 1 {
                for scope in groups.keys.sorted() {
                    print(PlanRow.heading(scope, config: config))
                    print(PlanRow.table(groups[scope] ?? []) + "\n")
                }
            } else {
                print(PlanRow.table(rows))
            }
            for line in PlanRow.fleetLines(policies, rows: rows, fleets: fleets) { print(line) }
        case .json:
            print(PlanRow.json(rows))
        }
        for policy in policies {
            if let failure = fleets.failure(of: policy) { printError("reflex plan: \(policy.name): discovery failed: \(failure)") }
        }
        // A policy AWS would not let Reflex judge (credentials, permissions, endpoint) is an
        // environment error: the table above shows which, each distinct error is said once here.
        let failed = rows.filter { $0.evaluation.status == .error }
        var said: Set<String> = []
        for row in failed where said.insert(row.evaluation.reason.summary).inserted {
            let count = failed.filter { $0.evaluation.reason.summary == row.evaluation.reason.summary }.count
            printError("reflex plan: \(count) of \(rows.count) polic\(rows.count == 1 ? "y" : "ies") could not be evaluated: \(row.evaluation.reason.summary)")
        }
        if !failed.isEmpty || policies.contains(where: { fleets.failure(of: $0) != nil }) { throw ExitCode.usageError }
    }

    /// What the decision log holds for the guardrails, when the config names a log that can be
    /// read; nil (planning as if nothing had happened) otherwise, said on standard error.
    static func loggedGuardrails(config: DaemonConfig, instances: [Policy], now: Date) -> LoggedGuardrails? {
        let lookback = instances.map { $0.guardrailLookback(globalBudget: config.globalBudget) }.max() ?? .hours(1)
        do {
            return try AuditReader(path: config.database)
                .guardrails(since: now.addingTimeInterval(-Double(lookback.seconds)), safeModeFallback: config.safeMode)
        } catch {
            printError("reflex plan: planning without the decision log (as --fresh): \(AuditError.userMessage(for: error) ?? "\(error)")")
            return nil
        }
    }
}
