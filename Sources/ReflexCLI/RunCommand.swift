import ArgumentParser
import Foundation
import Logging
import ReflexAudit
import ReflexAWS
import ReflexCore
import ReflexPolicyFile
import ReflexRuntime
import ReflexSystemd
import ReflexHTTP
import ReflexWebhooks
import ServiceLifecycle
import UnixSignals

/// `reflex run`: the daemon, and the composition root that wires every adapter to the core.
struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run the daemon: evaluate the policies every poll interval and act through the guardrails.",
        discussion: """
            Meant to run under systemd as a Type=notify service; SIGHUP reloads, SIGTERM stops. Every config key, with its \
            type, default and an example: the section Configuration of README.md (/usr/share/doc/reflex/README.md \
            when installed from the Debian package).
            """)

    @OptionGroup var config: ConfigOptions
    @Option(help: "Log level: trace, debug, info, notice, warning, error.") var logLevel = "info"

    func validate() throws {
        guard Logger.Level(rawValue: logLevel) != nil else { throw ValidationError("--log-level must be one of trace, debug, info, notice, warning, error") }
    }

    func run() async throws {
        // A SIGHUP before the reload handler exists would kill the process: ignore it until then.
        signal(SIGHUP, SIG_IGN)
        umask(0o077)
        let level = Logger.Level(rawValue: logLevel) ?? .info
        let journal = JournalLogHandler.isStandardOutputTheJournal
        LoggingSystem.bootstrap { label in
            if journal { return JournalLogHandler(label: label, level: level) }
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
        let logger = Logger(label: "reflex")

        let set = try PolicySet.load(config)
        let store: DecisionStore
        let lock: DecisionLogLock
        do {
            // Before the database is opened: a second daemon must not even migrate it.
            lock = try DecisionLogLock(databasePath: set.config.database)
            store = try DecisionStore(path: set.config.database)
        } catch {
            printError("reflex run: \(error)")
            throw ExitCode.usageError
        }
        let checkpoints: CheckpointSigner?
        do {
            // Read before anything runs: a key others can read (or none at all) is refused here.
            checkpoints = try set.config.auditSigningKey.map { CheckpointSigner(store: store, key: try AuditSigningKey(contentsOf: $0)) }
        } catch {
            printError("reflex run: \(error)")
            throw ExitCode.usageError
        }
        let webhooks: WebhookDispatcher
        do {
            webhooks = try WebhookDispatcher(outbox: store, receivers: set.config.receivers, notifyLists: Self.notifyLists(set),
                                             http: CurlHTTPClient(), logger: Logger(label: "reflex.webhooks"))
        } catch {
            printError("reflex run: \(error)")
            throw ExitCode.usageError
        }
        let configOptions = config
        let running = set.config
        // A reload is all or nothing: every step that can fail (reading and checking the files,
        // a setting only a restart applies, a receiver's secret) comes before anything changes.
        let loadPolicies: @Sendable () async throws -> PolicySetVersion = {
            let fresh = try PolicySet.loadOrThrow(configOptions)
            let needRestart = running.settingsNeedingRestart(in: fresh.config)
            guard needRestart.isEmpty else {
                throw ReloadRejected(message: "changes \(needRestart.joined(separator: ", ")), which only a restart applies")
            }
            // Recording the policy versions can fail (a locked or full log) and changes nothing
            // in use; the receivers are swapped last, all or nothing.
            let version = try Self.versioned(fresh, store: store)
            try await webhooks.update(receivers: fresh.config.receivers, notifyLists: Self.notifyLists(fresh))
            return version
        }
        let initial = try Self.versioned(set, store: store)
        let aws = try AWSReach(config: set.config)
        do {
            try await aws.home.verifyCredentials()
        } catch {
            printError("reflex run: \(error)")
            throw ExitCode.usageError
        }

        let pair: HighAvailabilityPair?
        do {
            if let settings = set.config.highAvailability {
                pair = try await HighAvailabilityPair.start(settings, home: aws.home, log: store, logger: logger)
            } else {
                pair = nil
            }
        } catch {
            printError("reflex run: \(error)")
            throw ExitCode.usageError
        }
        let ledger: any ActionLedger = pair?.shared ?? store
        let notifier = LogNotifier(logger: Logger(label: "reflex.events"))
        let pipeline = ActionPipeline(
            ledger: ledger, actuator: aws.actuator, notifier: notifier,
            settings: ActionPipelineSettings(globalBudget: set.config.globalBudget, safeModeDefault: set.config.safeMode),
            fence: pair?.shared)
        let reconciled = await pipeline.reconcile()
        if reconciled > 0 { logger.notice("reconciled \(reconciled) action(s) left in flight by the previous run") }
        let manager = SystemdNotifier()
        let daemon = Daemon(
            policySet: initial, pollInterval: set.config.pollInterval, metrics: aws.seriesSources(),
            pipeline: pipeline, ledger: ledger, records: store, notifier: notifier, manager: manager, logger: logger,
            safeModeDefault: set.config.safeMode, loadPolicies: loadPolicies, discovery: aws.discovery,
            discoveryInterval: set.config.discoveryInterval, checkpoints: checkpoints, checkpointEvery: set.config.checkpointEvery,
            coordination: pair?.shared)
        await daemon.resume()
        await daemon.recordStart()
        let hangups = await UnixSignalsSequence(trapping: .sighup)
        logger.notice("ready", metadata: ["policies": "\(initial.policies.count)", "region": "\(aws.home.region)", "accounts": "\(set.config.accounts.count)"])
        manager.send("READY=1", "STATUS=started with \(initial.policies.count) policies")
        // A ServiceGroup shuts its services down one at a time, last first: evaluation is last so
        // that SIGTERM stops cycles and actions at once, whatever a slow reload or webhook
        // delivery is still doing; webhooks go last and still deliver what the stop recorded.
        // The lease is released after evaluation and its actions have stopped.
        let lease: [any Service] = pair.map { [LeaseService(keeper: $0.keeper, daemon: daemon, shared: $0.shared)] } ?? []
        let group = ServiceGroup(configuration: .init(
            services: [WebhookService(dispatcher: webhooks, drainLimit: .seconds(5))] + lease
                + [ReloadService(daemon: daemon, hangups: hangups), EvaluationService(daemon: daemon)],
            gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        try await group.run()
        logger.notice("stopped")
        withExtendedLifetime(lock) {}
    }

    /// Each policy's `notify:` list, by policy name, for routing webhooks.
    static func notifyLists(_ set: PolicySet) -> [String: [String]] {
        Dictionary(set.policies.map { ($0.name, $0.notify) }, uniquingKeysWith: { first, _ in first })
    }

    /// The policies with their text recorded in the log and hashed.
    static func versioned(_ set: PolicySet, store: DecisionStore) throws -> PolicySetVersion {
        let hashes = try store.recordPolicyVersions(set.definitions.map { ($0.policy.name, $0.text) }, at: Date())
        let config = set.config
        return PolicySetVersion(policies: set.policies,
                                hashes: Dictionary(zip(set.definitions.map(\.policy.name), hashes), uniquingKeysWith: { first, _ in first }),
                                settings: DaemonSettings(pollInterval: config.pollInterval, discoveryInterval: config.discoveryInterval,
                                                         safeModeDefault: config.safeMode, globalBudget: config.globalBudget))
    }
}

extension SystemdNotifier: ServiceManager {}

/// A reload refused for a reason of its own (not a malformed file).
struct ReloadRejected: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
}
