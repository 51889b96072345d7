import ArgumentParser
import Foundation
import Logging
import ReflexAWS
import ReflexCore
import ReflexHTTP
import ReflexPolicyFile
import ReflexProbes
import ReflexRuntime

/// The AWS clients for a command, or exit 2 saying what is missing (region, endpoint).
func makeAWSServices(region: String?) throws -> AWSServices {
    do {
        return try AWSServices(region: region, logger: Logger(label: "reflex.aws"))
    } catch {
        printError("reflex: \(error)")
        throw ExitCode.usageError
    }
}

/// Every AWS account and region a command reaches: the daemon's own (its credentials and
/// region), other regions with the same credentials, and each configured account through the
/// role Reflex assumes there with those credentials. Clients are made the first time a scope
/// is used; an account whose role cannot be assumed fails only the calls made in it.
struct AWSReach {
    /// The daemon's own account and region.
    let home: AWSServices
    /// The clients of each scope.
    let services: PerScope<AWSServices>

    /// The reach of `config` (its region, else the environment's; its accounts), or exit 2
    /// saying what is missing or unreadable.
    init(config: DaemonConfig) throws {
        try self.init(region: config.region, accounts: config.accounts)
    }

    /// The reach from `region` (else the environment's) to `accounts`.
    init(region: String?, accounts: [DaemonConfig.Account] = []) throws {
        let home = try makeAWSServices(region: region)
        var roles: [String: RoleAssumption] = [:]
        for account in accounts {
            roles[account.id] = try Self.role(of: account)
        }
        self.home = home
        // One assumed role per account, in the daemon's region: its other regions share its
        // credentials (one STS call per refresh, whatever the regions).
        let accountHomes = PerScope<AWSServices> { [roles] scope in
            guard let accountID = scope.accountID, let role = roles[accountID] else {
                throw AWSError.noCredentials("account \(scope.accountID ?? "") is not in the config's accounts")
            }
            return try home.assuming(role, region: home.region)
        }
        services = PerScope { scope in
            let base = try scope.accountID.map { try accountHomes(Scope(accountID: $0)) } ?? home
            guard let region = scope.region, region != base.region else { return base }
            return try base.inRegion(region)
        }
    }

    /// The role assumed in `account`, its external id read from its file now.
    private static func role(of account: DaemonConfig.Account) throws -> RoleAssumption {
        var externalID = account.externalID
        if let file = account.externalIDFile {
            guard let text = try? String(contentsOfFile: file, encoding: .utf8),
                  case let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines), !trimmed.isEmpty else {
                printError("reflex: account '\(account.name)': cannot read external_id_file \(file)")
                throw ExitCode.usageError
            }
            externalID = trimmed
        }
        do {
            return try RoleAssumption(roleARN: account.roleARN, externalID: externalID,
                                      sessionName: account.sessionName ?? RoleAssumption.defaultSessionName,
                                      durationSeconds: account.duration?.seconds ?? 3600)
        } catch {
            printError("reflex: account '\(account.name)': \(error)")
            throw ExitCode.usageError
        }
    }

    /// Actions on each target through its account and region.
    var actuator: ScopedActuator { ScopedActuator(services: services) }

    /// Fleet discovery in each selector's account and region.
    var discovery: ScopedResourceDiscovery { ScopedResourceDiscovery(services: services) }

    /// Every series source a command reads, in each query's account and region: CloudWatch
    /// metrics, ECS task stops and CloudWatch Logs events through that scope's clients, HTTP
    /// probes from this host (one prober, whatever the scope).
    func seriesSources() -> ScopedSeriesSources {
        let probes = HTTPProbeSource(http: CurlHTTPClient())
        let services = self.services
        return ScopedSeriesSources(PerScope { scope in
            let scoped = try services(scope)
            return SeriesSources([
                .cloudWatch: CloudWatchMetricsSource(client: scoped.cloudWatch),
                .ecsStoppedTasks: ECSStoppedTasksSource(ecs: scoped.ecs),
                .logEvents: LogEventsSource(logs: scoped.logs),
                .httpProbe: probes,
            ])
        })
    }
}
