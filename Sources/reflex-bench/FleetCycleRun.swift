import Foundation
import Logging
import ReflexAWS
import ReflexAudit
import ReflexCore
import ReflexHTTP
import ReflexPolicyFile
import ReflexRuntime
import ReflexTestSupport

/// The daemon's cycles with ONE fleet policy over a large fleet, in a fresh process (this
/// program, started again) so that its memory is the cycles' own. The real `Daemon` with its
/// real decision log (SQLite), discovery (AWSResourceDiscovery) and metrics source
/// (CloudWatchMetricsSource), talking either to the emulator (`AWS_ENDPOINT_URL`) or to
/// `SyntheticAWS` in process. Logging is off and firing instances' targets are not read from
/// AWS (the action pipeline's actuator answers at once, as a provisioned table): what is
/// measured is discovery, the fetch, evaluation, the decision log and the pipeline's own work.
struct FleetCycleRun: Codable {
    /// The argument that makes reflex-bench do only this, and print it as JSON.
    static let flag = "--fleet-run"
    /// Cycles after the first, unless told otherwise: discovery is not due again, nothing changes.
    static let steadyCycles = 5

    /// What one cycle took and asked for.
    struct Cycle: Codable {
        /// Wall-clock seconds of `Daemon.cycle()`.
        let seconds: Double
        /// CPU seconds of this process over the cycle and the actions it handed on, less the
        /// stand-in's (SyntheticAWS) own.
        let cpuSeconds: Double
        /// AWS calls per operation (`X-Amz-Target`).
        let calls: [String: Int]
    }

    let source: String
    /// The instances the fleet has after discovery.
    let instances: Int
    let firing: Int
    /// State changes the first cycle recorded.
    let stateChanges: Int
    /// Discovery, fetch, evaluation, state changes recorded, actions handed on.
    let first: Cycle
    let steady: [Cycle]
    /// Resident memory before the daemon was made, after the last cycle, and its peak, in MiB.
    let startMebibytes: Double
    let endMebibytes: Double
    let peakMebibytes: Double

    /// The command line of a run over `tables` tables from `source` (`emulator` or `synthetic`).
    static func arguments(tables: Int, source: String, firingEvery: Int, at now: Date, directory: String,
                          steadyCycles: Int = steadyCycles, guarded: Bool = true) -> [String] {
        [flag, String(tables), source, String(firingEvery), String(Int(now.timeIntervalSince1970)), directory, String(steadyCycles),
         guarded ? "guarded" : "unguarded"]
    }

    /// Runs from `arguments` (the flag first, as `arguments(...)` makes them), or nil when they
    /// are not a run's.
    static func main(_ arguments: [String]) async throws -> FleetCycleRun? {
        guard arguments.count == 8, arguments[0] == flag, let tables = Int(arguments[1]), let firingEvery = Int(arguments[3]),
              let seconds = Double(arguments[4]), let steadyCycles = Int(arguments[6]), ["guarded", "unguarded"].contains(arguments[7])
        else { return nil }
        return try await measure(tables: tables, source: arguments[2], firingEvery: firingEvery, at: Date(timeIntervalSince1970: seconds),
                                 directory: arguments[5], steadyCycles: steadyCycles, guarded: arguments[7] == "guarded")
    }

    static func measure(tables: Int, source: String, firingEvery: Int, at now: Date, directory: String,
                        steadyCycles: Int, guarded: Bool) async throws -> FleetCycleRun {
        let startMebibytes = ProcessMemory.mebibytes("VmRSS")
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let fleet = FleetFixture(tables: tables, firingEvery: firingEvery, prefix: "bench-fleet-", digits: 5)
        let discovery: any ResourceDiscovery, metrics: any MetricsSource
        let usage: () async throws -> (calls: [String: Int], cpuSeconds: Double)
        switch source {
        case "synthetic":
            let aws = SyntheticAWS(fleet: fleet)
            discovery = aws.discovery
            metrics = CloudWatchMetricsSource(client: aws.client(.cloudWatch))
            usage = { aws.usage(reset: true) }
        case "emulator":
            let logger = Logger(label: "bench", factory: { _ in SwiftLogNoOpLogHandler() })
            let services = try AWSServices(region: "us-east-1", logger: logger)
            discovery = services.resourceDiscovery
            metrics = CloudWatchMetricsSource(client: services.cloudWatch)
            let counter = EmulatorTraffic(endpoint: services.cloudWatch.endpoint)
            usage = { (try await counter.operations(reset: true), 0) }
        default:
            throw BenchmarkError("unknown source \(source)")
        }

        let store = try DecisionStore(path: directory + "/fleet.db")
        // Each steady cycle is a minute after the one before: a new period to fetch and judge.
        let clock = ManualClock(start: now)
        let logger = Logger(label: "bench", factory: { _ in SwiftLogNoOpLogHandler() })
        let pipeline = ActionPipeline(ledger: store, actuator: ProvisionedTables(), notifier: LogNotifier(logger: logger),
                                      settings: ActionPipelineSettings(), now: { clock.now })
        let daemon = Daemon(
            policySet: PolicySetVersion(policies: [try FleetFixture.policy(guarded: guarded)], hashes: [:]), pollInterval: .minutes(1), metrics: metrics,
            pipeline: pipeline, ledger: store, records: store, notifier: LogNotifier(logger: logger), manager: SilentManager(),
            logger: logger, safeModeDefault: false, loadPolicies: { throw BenchmarkError("no reload") }, discovery: discovery,
            discoveryInterval: .minutes(5), now: { clock.now })

        func cycle() async throws -> Cycle {
            _ = try await usage()
            let cpu = ProcessCPU.seconds
            let start = DispatchTime.now().uptimeNanoseconds
            await daemon.cycle()
            let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
            // The actions the cycle handed on are part of its work.
            while await daemon.cyclesWithActionsInFlight > 0 { try await Task.sleep(for: .milliseconds(1)) }
            let cpuSeconds = ProcessCPU.seconds - cpu
            let (calls, served) = try await usage()
            return Cycle(seconds: seconds, cpuSeconds: cpuSeconds - served, calls: calls)
        }

        let first = try await cycle()
        var steady: [Cycle] = []
        for _ in 0..<steadyCycles {
            clock.advance(60)
            steady.append(try await cycle())
        }
        let endMebibytes = ProcessMemory.mebibytes("VmRSS"), peakMebibytes = ProcessMemory.mebibytes("VmHWM")

        let reader = AuditReader(store: store)
        let status = try reader.daemonStatus()
        let changes = try reader.list(DecisionFilter(kind: DecisionKind.stateChange.rawValue), limit: tables * 2).count
        return FleetCycleRun(source: source, instances: await daemon.instances.count, firing: status?.firing ?? 0, stateChanges: changes,
                             first: first, steady: steady, startMebibytes: startMebibytes, endMebibytes: endMebibytes,
                             peakMebibytes: peakMebibytes)
    }
}

/// Every table provisioned with 100 read and 50 write units; changes are not made.
struct ProvisionedTables: Actuator {
    func read(_ target: Target) async throws -> TargetState {
        TargetState(snapshot: TargetSnapshot(readCapacity: 100, writeCapacity: 50, onDemand: false))
    }

    func apply(_ change: PlannedChange, to target: Target, current: TargetState) async throws -> String? { nil }
}

/// The emulator's count of AWS requests per operation, read over HTTP (a child process has
/// only the emulator's address).
struct EmulatorTraffic {
    let endpoint: URL
    private let http = CurlHTTPClient()

    init(endpoint: URL) {
        self.endpoint = endpoint
    }

    func operations(reset: Bool) async throws -> [String: Int] {
        let response = try await http.send(HTTPRequest(method: reset ? "DELETE" : "GET", url: endpoint.appendingPathComponent("/_reflex/traffic")))
        guard response.status == 200 else { throw BenchmarkError("the emulator's traffic count: HTTP \(response.status)") }
        return try JSONDecoder().decode(Traffic.self, from: response.body).operations
    }
}
