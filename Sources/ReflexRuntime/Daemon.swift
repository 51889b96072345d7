import Foundation
import Logging
import ReflexCore

/// The evaluation loop: every poll interval, aligned to its boundaries, look at the clock;
/// judge the policies that have a newly settled period (fetching, in one go, only the series
/// they need), record state changes, hand actions to the pipeline without waiting for them,
/// and report to systemd. A cycle that overruns is logged, never stacked.
public actor Daemon {
    let metrics: any MetricsSource
    let pipeline: ActionPipeline
    let ledger: any ActionLedger
    let records: any DaemonRecords
    let notifier: any Notifier
    let manager: any ServiceManager
    let logger: Logger
    let loadPolicies: @Sendable () async throws -> PolicySetVersion
    let now: @Sendable () -> Date
    /// Safe mode until an operator sets it (the config's `safe_mode`; a reload changes it).
    var safeModeDefault: Bool
    let discovery: (any ResourceDiscovery)?
    var discoveryInterval: TimeSpan
    /// Where signed checkpoints go; nil without a signing key.
    let checkpoints: (any CheckpointLog)?
    /// How often a checkpoint is made between start, reloads and the stop.
    let checkpointEvery: TimeSpan
    /// When the periodic checkpoint is next due; nil until the first one.
    var nextCheckpoint: Date?
    /// The shared guardrail state and lease when this node is one of a highly available pair.
    let coordination: SharedGuardrails?
    /// This node's role as last reported, for the status.
    var role: String?

    private(set) var policySet: PolicySetVersion
    /// What discovery found for each fleet selector.
    var roster = FleetRoster()
    /// The policies as judged: each single-target policy, and every instance of each fleet.
    public internal(set) var instances: [Policy] {
        // What was kept for instances that are gone goes with them.
        didSet {
            schedule.keep(only: instances)
            let keys = Set(instances.map(\.instanceKey))
            lastEvaluations = lastEvaluations.filter { keys.contains($0.key) }
        }
    }
    /// When fleets are next discovered; nil when due now (at start and after a reload).
    var nextDiscovery: Date?
    /// Fleet members already reported as not judgeable, so that each is logged once.
    var reportedSkips: Set<String> = []
    private var pollInterval: TimeSpan
    /// Each instance's state, by `Policy.instanceKey`.
    var states: [String: PolicyStatus] = [:]
    private var reloadError: String?
    private(set) var stopping = false
    /// Each cycle's action task until it finishes, by its number.
    private var actionTasks: [Int: Task<Void, Never>] = [:]
    private var nextActionTask = 0
    private var lastCycleSeconds = 0.0
    /// Since when and why the decision log refuses writes; nil while it takes them.
    private var logRefusal: (since: Date, reason: String)?
    /// The metrics requested from CloudWatch since the start, for the status.
    private var meter: MetricsMeter
    /// Which series to buy and which policies to judge at each cycle, with the series kept.
    private var schedule = FetchSchedule()
    /// Counts reloads: a cycle that a reload overtook while it waited for AWS judges nothing on
    /// the policies it started with.
    private var policyGeneration = 0
    /// Each instance's newest evaluation, by `Policy.instanceKey`: a verification whose deadline
    /// passes between two judged periods is settled on it.
    private var lastEvaluations: [String: (Policy, Evaluation)] = [:]

    /// A daemon running `policySet`; `loadPolicies` re-reads them on reload.
    public init(policySet: PolicySetVersion, pollInterval: TimeSpan, metrics: any MetricsSource, pipeline: ActionPipeline,
                ledger: any ActionLedger, records: any DaemonRecords, notifier: any Notifier, manager: any ServiceManager,
                logger: Logger, safeModeDefault: Bool, loadPolicies: @escaping @Sendable () async throws -> PolicySetVersion,
                discovery: (any ResourceDiscovery)? = nil, discoveryInterval: TimeSpan = .minutes(5),
                checkpoints: (any CheckpointLog)? = nil, checkpointEvery: TimeSpan = .hours(1),
                coordination: SharedGuardrails? = nil, now: @escaping @Sendable () -> Date = Date.init) {
        self.policySet = policySet
        self.coordination = coordination
        self.instances = policySet.policies.filter { !$0.isFleet }.flatMap(\.scopeInstances)
        self.discovery = discovery
        self.discoveryInterval = discoveryInterval
        self.checkpoints = checkpoints
        self.checkpointEvery = checkpointEvery
        self.pollInterval = pollInterval
        self.metrics = metrics
        self.pipeline = pipeline
        self.ledger = ledger
        self.records = records
        self.notifier = notifier
        self.manager = manager
        self.logger = logger
        self.safeModeDefault = safeModeDefault
        self.loadPolicies = loadPolicies
        self.now = now
        self.meter = MetricsMeter(since: now())
    }

    /// Runs cycles until `stop()`; pings the watchdog after each cycle and while waiting for
    /// the next, never during a cycle, so a hung cycle stops the pings.
    public func run() async {
        let clock = ContinuousClock()
        // Cancelled without a stop (the service group gave up on it): return, never spin.
        while !stopping && !Task.isCancelled {
            let started = clock.now
            await cycle()
            checkpointIfDue()
            lastCycleSeconds = Double((clock.now - started).components.attoseconds) / 1e18 + Double((clock.now - started).components.seconds)
            manager.send("WATCHDOG=1")
            let interval = Double(pollInterval.seconds)
            let wall = now().timeIntervalSince1970
            var next = (wall / interval).rounded(.down) * interval + interval
            if lastCycleSeconds > interval {
                logger.warning("cycle overran the poll interval; skipping to the next boundary",
                               metadata: ["cycle_seconds": "\(lastCycleSeconds)", "poll_interval": "\(pollInterval)"])
                next = (wall / interval).rounded(.up) * interval
            }
            await sleep(until: next)
        }
    }

    /// Sleeps until `wall` (seconds since 1970), pinging the watchdog at half its interval.
    private func sleep(until wall: Double) async {
        let slice = manager.watchdogInterval.map { $0 / 2 } ?? .seconds(1)
        while !stopping && !Task.isCancelled {
            let remaining = wall - now().timeIntervalSince1970
            guard remaining > 0 else { return }
            try? await Task.sleep(for: min(slice, .milliseconds(Int64(remaining * 1000) + 1)))
            manager.send("WATCHDOG=1")
        }
    }

    /// One evaluation cycle: judges the policies with a newly settled period, fetching only the
    /// series they need that the schedule does not already hold.
    public func cycle() async {
        let at = now()
        let generation = policyGeneration
        await discoverFleetsIfDue(at: at)
        guard !stopping, !Task.isCancelled, generation == policyGeneration else { return }
        let planned = schedule.plan(instances, at: at)
        if !planned.queries.isEmpty {
            let results = await metrics.fetch(planned.queries, from: planned.start, to: planned.end)
            // Counted whole even when a stop cut the fetch short: at most once, at the stop, a few
            // calls too many.
            meter.record(metrics.metricsRequested(by: planned.queries, from: planned.start, to: planned.end))
            // A fetch cut short by a stop is not evidence: nothing is judged on it. Nor are the
            // policies a reload replaced meanwhile (the next cycle judges the new ones).
            guard !stopping, !Task.isCancelled, generation == policyGeneration else { return }
            schedule.absorb(results, of: planned)
        }
        var evaluations: [(Policy, Evaluation)] = []
        for policy in planned.due {
            // A new instance starts in insufficient-data.
            let evaluation = schedule.judge(policy, previous: states[policy.instanceKey] ?? .insufficientData, at: at)
            states[policy.instanceKey] = evaluation.status
            // A firing verdict is acted on again at later polls, with its evidence; otherwise a
            // verification needs only the verdict, and the evidence of every instance of a large
            // fleet would be kept for nothing.
            lastEvaluations[policy.instanceKey] = (policy, evaluation.status == .firing ? evaluation : evaluation.withoutEvidence)
            evaluations.append((policy, evaluation))
        }
        if await !recordChanges(evaluations.filter { $0.1.changed }) {
            // Memory follows the log: a change that is not on record did not happen yet. The
            // next cycle judges the period again and records it once the log takes writes; until
            // then the policy neither notifies nor acts on it.
            for (policy, evaluation) in evaluations where evaluation.changed {
                states[policy.instanceKey] = evaluation.previous
                lastEvaluations[policy.instanceKey] = nil
            }
            schedule.rejudge(evaluations.filter { $0.1.changed }.map(\.0.instanceKey))
            evaluations.removeAll { $0.1.changed }
        }
        // A policy still firing on its last judged period goes to the guardrails at every poll,
        // so that an action a guardrail held (cooldown, safe mode, budget, circuit) goes ahead
        // at the first poll it may, not a period later (an hour, for an hourly metric). Those
        // judged in this cycle are handed on with the cycle's evaluations.
        // One period's verdict makes at most one action (the pipeline sees to it); a policy
        // without an action has nothing to retry.
        let standing = lastEvaluations.filter { $0.value.1.status == .firing && $0.value.1.at != at && $0.value.0.action != nil }
            .sorted { $0.key < $1.key }.map(\.value)
        if !stopping { dispatchActions(evaluations, standing: standing) }
        await report(at: at)
    }

    private func stateChange(_ policy: Policy, _ evaluation: Evaluation) -> DecisionRecord {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        return DecisionRecord(
            at: evaluation.at, kind: .stateChange, policy: policy.name, policyHash: policySet.hashes[policy.name], target: policy.target.id,
            stateFrom: evaluation.previous.rawValue, stateTo: evaluation.status.rawValue, reason: evaluation.reason.code,
            detail: evaluation.reason.summary,
            evidence: (try? encoder.encode(evaluation.evidence)).map { String(decoding: $0, as: UTF8.self) },
            mode: policy.mode.rawValue)
    }

    /// Records the cycle's state changes in one commit and notifies them; false when the log
    /// refused them.
    private func recordChanges(_ changed: [(Policy, Evaluation)]) async -> Bool {
        guard !changed.isEmpty else { return true }
        let changes = changed.map { stateChange($0.0, $0.1) }
        let ids: [Int64]
        do {
            ids = try ledger.append(contentsOf: changes)
        } catch {
            noteLogRefused(error)
            let refused = changes.map { "\($0.policy ?? "") \($0.target ?? "") \($0.stateFrom ?? "") -> \($0.stateTo ?? "")" }
                .joined(separator: ", ")
            logger.error("cannot record \(refused); not applied until the log takes writes: \(error)")
            return false
        }
        for change in changes {
            logger.info("\(change.policy ?? "") on \(change.target ?? "") \(change.stateFrom ?? "") -> \(change.stateTo ?? ""): \(change.detail ?? "")",
                        metadata: ["policy": "\(change.policy ?? "")", "target": "\(change.target ?? "")", "state": "\(change.stateTo ?? "")"])
        }
        for ((policy, _), (change, id)) in zip(changed, zip(changes, ids)) {
            let kind: String? = change.stateTo == "firing" ? "fired" : (change.stateFrom == "firing" ? "resolved" : nil)
            guard let kind else { continue }
            await notifier.notify(NotificationEvent(kind: kind, policy: policy.name, target: policy.target.id, decisionID: id,
                                                    summary: "\(policy.name) \(kind): \(change.detail ?? "")", at: change.at, receivers: policy.notify))
        }
        return true
    }

    /// Notes that the decision log refused a write: the daemon is degraded until it takes one.
    func noteLogRefused(_ error: any Error) {
        if logRefusal == nil {
            logger.critical("degraded: the decision log refuses writes; no state change is applied and no action is taken until it takes them again: \(error)")
        }
        logRefusal = (logRefusal?.since ?? now(), "\(error)".split(separator: "\n").first.map(String.init) ?? "\(error)")
    }

    /// Notes that the decision log takes writes again, and records how long it did not.
    private func noteLogAccepted() {
        guard let refusal = logRefusal else { return }
        logRefusal = nil
        let detail = "the decision log refused writes from \(refusal.since) to \(now()) (\(refusal.reason)); decisions of that time were recorded late or, for status reports, not at all"
        logger.notice("no longer degraded: \(detail)")
        _ = try? ledger.append(DecisionRecord(at: now(), kind: .daemon, reason: "log-recovered", detail: detail, outcome: "recovered"))
    }

    /// Hands the cycle's evaluations, and the standing verdicts of policies still firing, to the
    /// pipeline in a task of its own, so that a slow action never delays the next cycle.
    private func dispatchActions(_ evaluations: [(Policy, Evaluation)], standing: [(Policy, Evaluation)]) {
        let pipeline = self.pipeline
        let hashes = policySet.hashes
        let latest = lastEvaluations
        // Only a rollback to the last known good revision reads the deployment history: other
        // services (a fleet's, say) are not described every cycle for nothing. Those that do
        // are observed at every poll, judged this cycle or not: a revision is good only after
        // a stable streak, and an unstable moment between two periods must not be missed.
        let ecsTargets = instances.filter { if case .ecsRollback(.lastKnownGood, _)? = $0.action { true } else { false } }.map(\.target)
        let coordination = self.coordination
        let number = nextActionTask
        nextActionTask += 1
        // The task forgets itself when done: a finished task kept here would hold its memory
        // for the life of the daemon. It cannot finish before it is stored, as that needs this actor.
        actionTasks[number] = Task {
            // The shared guardrail state first (what other nodes did), then what the log
            // refused earlier, then intents left unreconciled.
            await coordination?.sync()
            await self.completeTakeover()
            await pipeline.writeUnwritten()
            await pipeline.retryReconciliation()
            await pipeline.observeDeployments(of: ecsTargets)
            await pipeline.settleApprovals(latest, hashes: hashes)
            await pipeline.handle(evaluations + standing, hashes: hashes)
            await pipeline.verifyOverdue(latest, hashes: hashes)
            self.actionTaskFinished(number)
        }
    }

    private func actionTaskFinished(_ number: Int) {
        actionTasks[number] = nil
    }

    /// How many cycles still have actions being handled.
    public var cyclesWithActionsInFlight: Int { actionTasks.count }

    private func report(at: Date) async {
        let waiting = await pipeline.unwrittenDecisions
        if let coordination { role = await coordination.roleDescription() }
        var status = currentStatus(at: at, waiting: waiting)
        do {
            // The status row is written every cycle: it is also how a degraded log is found
            // healthy again when no decision is due.
            try records.recordStatus(status)
            if waiting == 0 { noteLogAccepted() }
        } catch {
            noteLogRefused(error)
        }
        status.degraded = degradation(waiting: waiting)
        manager.send("STATUS=\(status.summary)")
    }

    /// What the daemon reports at `at`, with `waiting` decisions held in memory.
    private func currentStatus(at: Date, waiting: Int) -> DaemonStatus {
        let safeMode = (try? ledger.safeMode(fallback: safeModeDefault)) ?? safeModeDefault
        var status = DaemonStatus(
            updatedAt: at, pid: ProcessInfo.processInfo.processIdentifier, policies: policySet.policies.count,
            firing: states.values.filter { $0 == .firing }.count, errors: states.values.filter { $0 == .error }.count,
            cycleSeconds: lastCycleSeconds, safeMode: safeMode, states: states.mapValues(\.rawValue), reloadError: reloadError)
        status.targets = instances.count
        status.discoveryErrors = discoveryErrors
        status.startedAt = meter.since
        status.metricsRequested = meter.requested
        status.metricsPerHour = schedule.metricsPerHour
        status.version = ReflexVersion.current
        status.degraded = degradation(waiting: waiting)
        status.role = role
        return status
    }

    /// What keeps the daemon from recording everything, with `waiting` decisions held in memory.
    private func degradation(waiting: Int) -> String? {
        guard logRefusal != nil || waiting > 0 else { return nil }
        return "decision log unwritable: \(logRefusal?.reason ?? "earlier writes were refused"); \(waiting) decision(s) waiting"
    }

    /// Re-reads the policies. A bad set is rejected and the old one keeps running; a good one
    /// replaces it atomically, keeping the state of every policy that did not change.
    public func reload() async {
        manager.send("RELOADING=1", "MONOTONIC_USEC=\(manager.monotonicMicroseconds)")
        let at = now()
        do {
            let fresh = try await loadPolicies()
            // The settings first: from here to the end nothing suspends, so no cycle sees the new
            // policies under the old budget and safe-mode default.
            if let settings = fresh.settings { await apply(settings) }
            policyGeneration += 1
            let old = Dictionary(uniqueKeysWithValues: policySet.policies.map { ($0.name, $0) })
            let unchanged = Set(fresh.policies.filter { old[$0.name] == $0 }.map(\.name))
            // Instances of a policy that did not change keep their state; fleets are discovered
            // again at the next cycle.
            let kept = Set(instances.filter { unchanged.contains($0.name) }.map(\.instanceKey))
            states = states.filter { kept.contains($0.key) }
            lastEvaluations = lastEvaluations.filter { kept.contains($0.key) }
            // A changed policy is judged at the next cycle, on its new terms.
            schedule.rejudge(instances.map(\.instanceKey).filter { !kept.contains($0) })
            policySet = fresh
            nextDiscovery = nil
            instances = roster.instances(of: fresh.policies).instances
            reloadError = nil
            let applied = fresh.settings.map { "; " + Self.describe($0) } ?? ""
            _ = await pipeline.persist(DecisionRecord(at: at, kind: .policiesLoaded, reason: "reload", detail: Self.describe(fresh) + applied,
                                                      outcome: "reloaded"))
            logger.notice("policies and settings reloaded", metadata: ["policies": "\(fresh.policies.count)"])
            appendCheckpoint("reload")
            manager.send("READY=1", "STATUS=reloaded \(fresh.policies.count) policies")
        } catch {
            reloadError = "\(error)".split(separator: "\n").first.map(String.init) ?? "\(error)"
            _ = await pipeline.persist(DecisionRecord(at: at, kind: .policiesLoaded, reason: "reload-rejected", detail: "\(error)", outcome: "rejected"))
            logger.error("reload rejected, still running the previous policies: \(error)")
            appendCheckpoint("reload")
            await notifier.notify(NotificationEvent(kind: "reload-failed", policy: nil, target: nil, decisionID: nil,
                                                    summary: "reload rejected, still running the previous policies: \(error)", at: at, receivers: []))
            manager.send("READY=1", "STATUS=reload rejected, running the previous \(policySet.policies.count) policies: \(reloadError ?? "")")
        }
    }

    /// Applies a reloaded config's settings: the next wait uses the new poll interval, the next
    /// discovery the new interval, the next guardrail check the new budget and safe-mode default.
    private func apply(_ settings: DaemonSettings) async {
        pollInterval = settings.pollInterval
        discoveryInterval = settings.discoveryInterval
        safeModeDefault = settings.safeModeDefault
        await pipeline.update(globalBudget: settings.globalBudget, safeModeDefault: settings.safeModeDefault)
    }

    /// Stops starting cycles and actions; `run()` returns at its next wake-up.
    public func requestStop() async {
        guard !stopping else { return }
        stopping = true
        manager.send("STOPPING=1")
        await pipeline.stop()
        logger.notice("stopping: no new cycles or actions")
    }

    /// After `run()` returned: waits (bounded) for actions in flight and flushes the log.
    public func finish(within limit: Duration = .seconds(60)) async {
        await requestStop()
        let pending = Array(actionTasks.values)
        if !pending.isEmpty { manager.send("EXTEND_TIMEOUT_USEC=\(limit.components.seconds * 1_000_000)") }
        let deadline = Task {
            try? await Task.sleep(for: limit)
            // Out of time: cancel what is left; waits end, no new AWS call starts.
            for task in pending { task.cancel() }
        }
        for task in pending { await task.value }
        deadline.cancel()
        if await !pipeline.writeUnwritten() {
            let waiting = await pipeline.unwrittenDecisions
            logger.critical("stopping with \(waiting) decision(s) the log refused; an action among them is reconciled against its target at the next start")
        }
        // The last decision of a clean stop: everything before it is signed.
        appendCheckpoint("stop")
        // The last report says the stop was clean: `reflex status` tells it from a crash.
        var status = currentStatus(at: now(), waiting: await pipeline.unwrittenDecisions)
        status.stoppedAt = status.updatedAt
        try? records.recordStatus(status)
        try? records.checkpoint()
    }

    /// A reloaded config's settings, for the log: what the reload changed in the guardrails.
    static func describe(_ settings: DaemonSettings) -> String {
        "poll_interval \(settings.pollInterval), discovery_interval \(settings.discoveryInterval), safe_mode default "
            + "\(settings.safeModeDefault ? "on" : "off"), global budget \(settings.globalBudget.map { "\($0)" } ?? "none")"
    }

    /// The names and hashes of a policy set, and the version of Reflex that loaded it, for the log.
    static func describe(_ set: PolicySetVersion) -> String {
        "reflex \(ReflexVersion.current), \(set.policies.count) policies: " + set.policies.map { "\($0.name)=\(set.hashes[$0.name]?.prefix(12) ?? "?")" }.joined(separator: ", ")
    }

    /// Records the initial policy set (start-up). Like the reload records, through the
    /// pipeline's log writer: a log that refuses it now gets it later, in order.
    public func recordStart() async {
        _ = await pipeline.persist(DecisionRecord(at: now(), kind: .policiesLoaded, reason: "start", detail: Self.describe(policySet), outcome: "loaded"))
        appendCheckpoint("start")
        // A first report at once: until the first cycle ends, `reflex status` would otherwise
        // show the previous run's clean stop while this one runs.
        try? records.recordStatus(currentStatus(at: now(), waiting: 0))
    }
}
