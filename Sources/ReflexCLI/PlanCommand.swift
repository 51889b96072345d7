import ArgumentParser
import Foundation
import ReflexAWS
import ReflexCore

/// `reflex plan`: one evaluation of every policy against live metrics; never acts.
struct PlanCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plan",
        abstract: "Evaluate every policy once against live metrics and show what it would do. Never acts.")

    @OptionGroup var config: ConfigOptions
    @Option(help: "table or json.") var format = PlanFormat.table
    @Option(help: "Only this policy.") var policy: String?
    @Option(help: "Only targets matching this glob, e.g. 'dynamodb:cart-*'.") var target: String?

    enum PlanFormat: String, ExpressibleByArgument, CaseIterable { case table, json }

    func run() async throws {
        let set = try PolicySet.load(config)
        let services = try makeAWSServices(region: set.config.region)
        let now = Date()
        let policies = set.policies.filter { policy == nil || $0.name == policy }
        if let policy, policies.isEmpty {
            printError("reflex plan: no policy named '\(policy)'")
            throw ExitCode.usageError
        }
        let fleets = await FleetInstances.discover(policies, using: services.resourceDiscovery)
        let glob = target.map(Glob.init)
        let instances = fleets.instances.filter { glob?.matches($0.target.id) ?? true }
        let window = MetricsWindow(policies: instances, at: now)
        let fetched = FetchedMetrics(await CloudWatchMetricsSource(client: services.cloudWatch).fetch(window.queries, from: window.start, to: window.end))
        let reader = AWSActuator(services: services)
        let config = set.config
        // Every firing instance reads its target: side by side, so that a fleet with many
        // firing instances is planned in a few round trips.
        let rows = await instances.concurrentMap(limit: 16) { policy in
            let evaluation = PolicyEvaluator.evaluate(policy, series: fetched.series(for: policy), previous: .insufficientData, at: now)
            return await PlanRow.make(policy, evaluation, reader: reader, config: config, now: now)
        }
        switch format {
        case .table:
            print(PlanRow.table(rows))
            for line in PlanRow.fleetLines(policies, rows: rows, fleets: fleets) { print(line) }
        case .json:
            print(PlanRow.json(rows))
        }
        for policy in policies {
            if let failure = fleets.failure(of: policy) { printError("reflex plan: \(policy.name): discovery failed: \(failure)") }
        }
        if policies.contains(where: { fleets.failure(of: $0) != nil }) { throw ExitCode.usageError }
    }
}
