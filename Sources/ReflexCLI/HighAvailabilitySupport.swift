import ArgumentParser
import Foundation
import Logging
import ReflexAudit
import ReflexAWS
import ReflexCore
import ReflexPolicyFile
import ReflexRuntime

/// The pieces of a highly available pair (`ha:` in the config): the coordination table, the
/// lease keeper and the shared guardrail state over this node's decision log.
struct HighAvailabilityPair {
    let table: DynamoDBCoordination
    let keeper: LeaseKeeper
    let shared: SharedGuardrails

    /// The pair's pieces for `settings`, after making sure the table exists (created, on
    /// demand, when missing); throws naming the table and the permission when it cannot be.
    static func start(_ settings: DaemonConfig.HighAvailability, home: AWSServices, log: DecisionStore, logger: Logger) async throws -> HighAvailabilityPair {
        let heartbeat = Duration.seconds(settings.heartbeat.seconds)
        let callTimeout = LeaseElection.callTimeout(heartbeat: heartbeat)
        // Start-up is not bound by the lease: the table check gets the ordinary client, with its
        // retries and timeout, so a slow first answer does not stop the daemon.
        try await DynamoDBCoordination(dynamoDB: home.dynamoDB, table: settings.table).ensureTable()
        // Every call of the running pair is bounded by the lease's call timeout.
        let table = DynamoDBCoordination(dynamoDB: DynamoDBClient(client: try home.boundedDynamoDB(timeout: callTimeout)), table: settings.table)
        let election = LeaseElection(node: settings.node, lease: .seconds(settings.lease.seconds), heartbeat: heartbeat, callTimeout: callTimeout)
        let keeper = LeaseKeeper(election: election, store: table, logger: Logger(label: "reflex.lease"))
        let shared = SharedGuardrails(local: log, store: table, keeper: keeper, node: settings.node, logger: logger)
        // Read before the start-up reconciliation, so that its outcomes reach the shared state.
        await shared.sync()
        return HighAvailabilityPair(table: table, keeper: keeper, shared: shared)
    }
}

extension DaemonConfig {
    /// The shared switches of this config's highly available pair, nil when it runs alone.
    /// Operators' commands change them there, so that whichever node leads honours them.
    /// An operator's command is not bound by the lease: it gets the ordinary client, retries included.
    func sharedSwitches() throws -> DynamoDBCoordination? {
        guard let settings = highAvailability else { return nil }
        return DynamoDBCoordination(dynamoDB: try makeAWSServices(region: region).dynamoDB, table: settings.table)
    }
}

/// Runs an operator's change of the shared state; an AWS error exits 1 naming the table.
func changingSharedState<T>(_ table: DynamoDBCoordination, _ body: () async throws -> T) async throws -> T {
    do {
        return try await body()
    } catch {
        printError("reflex: the coordination table \(table.table) could not be read or written (nothing changed): \(error)")
        throw ExitCode.checkFailed
    }
}
