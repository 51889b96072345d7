import Foundation
import Logging
import ReflexAudit
import ReflexAWS
import ReflexCore
import ReflexRuntime
import ReflexTestSupport

/// A service manager that takes every message and has no watchdog.
struct QuietManager: ServiceManager {
    func send(_ lines: String...) {}
    var watchdogInterval: Duration? { nil }
    var monotonicMicroseconds: UInt64 { 0 }
}

/// A clock the test moves by hand.
final class TestClock: @unchecked Sendable {
    private let lock = NSLock()
    private var current = Date()
    var now: Date { lock.withLock { current } }
    func advance(_ seconds: Double) { lock.withLock { current = current.addingTimeInterval(seconds) } }
}

/// Records every notification.
actor RecordingNotifier: Notifier {
    private(set) var events: [NotificationEvent] = []
    func notify(_ event: NotificationEvent) { events.append(event) }
    var kinds: [String] { events.map(\.kind) }
}

/// The cart-service world on the emulator, a real decision log, and a pipeline over them.
struct PipelineWorld {
    let emulator: AWSEmulator
    let services: AWSServices
    let store: DecisionStore
    let clock = TestClock()
    let notifier = RecordingNotifier()
    let pipeline: ActionPipeline
    let settings: ActionPipelineSettings

    static func make(settings: ActionPipelineSettings = ActionPipelineSettings()) async throws -> PipelineWorld {
        let emulator = try AWSEmulator.start()
        try await emulator.seedCartService()
        let services = try AWSServices(region: "us-east-1", environment: AWSEnvironment(variables: emulator.environment),
                                       logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }),
                                       retry: RetryPolicy(baseDelay: .milliseconds(5)))
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("reflex-pipeline-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let store = try DecisionStore(path: directory + "/reflex.db")
        return PipelineWorld(emulator: emulator, services: services, store: store, settings: settings)
    }

    private init(emulator: AWSEmulator, services: AWSServices, store: DecisionStore, settings: ActionPipelineSettings) {
        self.emulator = emulator
        self.services = services
        self.store = store
        self.settings = settings
        let clock = self.clock
        pipeline = ActionPipeline(ledger: store, actuator: AWSActuator(services: services), notifier: notifier, settings: settings,
                                  now: { clock.now })
    }

    /// A pipeline as a restarted process has it: over the same log and AWS, remembering nothing.
    func restartedPipeline() -> ActionPipeline {
        let clock = self.clock
        return ActionPipeline(ledger: store, actuator: AWSActuator(services: services), notifier: notifier, settings: settings, now: { clock.now })
    }

    static let service = Target.ecsService(cluster: "ecommerce", service: "cart-service")
    static let table = Target.dynamoDBTable(name: "cart-service-carts")

    /// A policy named `name` on `target` with `action`, in enforce mode unless told otherwise.
    static func policy(_ name: String, target: Target = service, action: Action?, mode: PolicyMode = .enforce,
                       guardrails: Guardrails = Guardrails(), gates: [DeploymentGate] = [], verifyWithin: TimeSpan? = nil) -> Policy {
        let query = MetricQuery(namespace: "T", metric: "M", dimensions: [], stat: Statistic("Sum")!, period: .minutes(1))
        return Policy(name: name, mode: mode, metrics: [NamedMetric(name: "a", query: query)],
                      condition: try! ExpressionParser.parseCondition("a > 1", metrics: ["a"], period: .minutes(1)),
                      period: .minutes(1), gates: gates, target: target, action: action, guardrails: guardrails, verifyWithin: verifyWithin)
    }

    /// An evaluation of `policy` in `status` now.
    func evaluation(_ policy: Policy, _ status: PolicyStatus = .firing) -> Evaluation {
        Evaluation(policy: policy.name, at: clock.now, judgedPeriod: clock.now, previous: .pending, status: status,
                   reason: status == .firing ? .breached(breaching: 1, periods: 1, required: 1) : .clear(breaching: 0, periods: 1, required: 1),
                   evidence: .none)
    }

    func handle(_ policy: Policy, _ status: PolicyStatus = .firing) async {
        await pipeline.handle(evaluation(policy, status), of: policy, policyHash: nil)
    }

    /// The kinds of the decisions recorded so far, oldest first.
    func kinds(policy: String? = nil) throws -> [String] {
        var kinds: [String] = []
        try AuditReader(store: store).export(DecisionFilter(policy: policy)) { kinds.append($0.record.kind.rawValue) }
        return kinds
    }

    func decisions(kind: DecisionKind) throws -> [StoredDecision] {
        try AuditReader(store: store).list(DecisionFilter(kind: kind.rawValue), limit: 100).reversed()
    }

    /// A daemon over this world's pipeline and log, running `policies` on the test clock, with
    /// `metrics` (else the emulator's CloudWatch) and the policy hashes `hashes`; a reload loads `reloaded`.
    func daemon(_ policies: [Policy], metrics: (any MetricsSource)? = nil, reloaded: [Policy]? = nil, hashes: [String: String] = [:],
                pipeline: ActionPipeline? = nil) -> Daemon {
        let clock = self.clock
        return Daemon(
            policySet: PolicySetVersion(policies: policies, hashes: hashes),
            pollInterval: .minutes(1), metrics: metrics ?? CloudWatchMetricsSource(client: emulator.client(.cloudWatch)),
            pipeline: pipeline ?? self.pipeline, ledger: store, records: store, notifier: notifier, manager: QuietManager(),
            logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }), safeModeDefault: false,
            loadPolicies: {
                guard let reloaded else { throw CancellationError() }
                return PolicySetVersion(policies: reloaded, hashes: [:])
            }, now: { clock.now })
    }

    /// Waits (bounded) until the daemon's action tasks are done; the bound is generous because
    /// an action against the emulator on a loaded machine can take seconds.
    func settle(_ daemon: Daemon) async throws {
        let deadline = Date().addingTimeInterval(60)
        while await daemon.cyclesWithActionsInFlight > 0 && Date() < deadline {
            try await Task.sleep(for: .milliseconds(20))
        }
    }

    func service() async throws -> ECSClient.Service {
        try await services.ecs.describeService(cluster: "ecommerce", service: "cart-service")
    }
}
