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

    enum PlanFormat: String, ExpressibleByArgument, CaseIterable { case table, json }

    func run() async throws {
        let set = try PolicySet.load(config)
        let services = try makeAWSServices(region: set.config.region)
        let now = Date()
        let window = MetricsWindow(policies: set.policies, at: now)
        let fetched = FetchedMetrics(await CloudWatchMetricsSource(client: services.cloudWatch).fetch(window.queries, from: window.start, to: window.end))
        let reader = AWSActuator(services: services)
        var rows: [PlanRow] = []
        for policy in set.policies {
            let evaluation = PolicyEvaluator.evaluate(policy, series: fetched.series(for: policy), previous: .insufficientData, at: now)
            rows.append(await PlanRow.make(policy, evaluation, reader: reader, config: set.config, now: now))
        }
        switch format {
        case .table: print(PlanRow.table(rows))
        case .json: print(PlanRow.json(rows))
        }
    }
}
