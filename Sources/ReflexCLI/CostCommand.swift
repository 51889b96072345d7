import ArgumentParser
import Foundation
import ReflexCore

/// `reflex cost`: what reading the policies' metrics from CloudWatch costs a month.
struct CostCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cost",
        abstract: "Show what the policies' CloudWatch metrics cost a month: per policy and in total, beside alarms.")

    @OptionGroup var config: ConfigOptions
    @Option(help: "table or json.") var format = OutputFormat.table

    func run() async throws {
        let set = try PolicySet.load(config)
        let cost = MetricsCost(policies: set.policies, instances: try await instances(of: set))
        switch format {
        case .table: print(CostReport.table(cost))
        case .json: print(CostReport.json(cost))
        }
    }

    /// The policies as judged: a fleet counts the instances discovery finds now. Without a
    /// fleet no AWS access is needed; a failed discovery is an environment error (exit 2),
    /// since a fleet's cost cannot be told without its members.
    private func instances(of set: PolicySet) async throws -> [Policy] {
        guard set.policies.contains(where: \.isFleet) else { return set.policies.flatMap(\.scopeInstances) }
        return try await FleetInstances.discoverAll(set.policies, using: try AWSReach(config: set.config).discovery, command: "cost").instances
    }
}
