import Foundation
import Logging
import ReflexCore
import ReflexHTTP

/// Delivers webhooks from the decision log's outbox: turns new decisions into deliveries (one
/// per receiver), sends each receiver's oldest due delivery, and records every attempt. Runs
/// apart from evaluation, so a slow or dead receiver never delays a cycle, and each receiver
/// apart from the others, so one that hangs until its timeout never delays another's
/// deliveries. Everything it needs is in the outbox, so a restart resumes where it stopped.
public actor WebhookDispatcher {
    let outbox: any WebhookOutbox
    private(set) var receivers: [String: Receiver]
    let environment: [String: String]
    let http: any HTTPClient
    let policy: DeliveryPolicy
    let logger: Logger
    let now: @Sendable () -> Date
    private var notifyLists: [String: [String]]
    /// The receivers that have a delivery loop running.
    private var deliveryLoops: Set<String> = []

    /// A dispatcher for the configured `receivers`, queueing and recording in `outbox`;
    /// `notifyLists` are the policies' `notify:` lists by policy name (decisions without a
    /// policy go to every receiver).
    public init(outbox: any WebhookOutbox, receivers: [ReceiverSettings], notifyLists: [String: [String]],
                environment: [String: String] = ProcessInfo.processInfo.environment, http: any HTTPClient,
                policy: DeliveryPolicy = DeliveryPolicy(), logger: Logger, now: @escaping @Sendable () -> Date = Date.init) throws {
        self.outbox = outbox
        self.receivers = try Self.receivers(receivers, environment: environment)
        self.environment = environment
        self.notifyLists = notifyLists
        self.http = http
        self.policy = policy
        self.logger = logger
        self.now = now
    }

    private func loopEnded(_ name: String) {
        deliveryLoops.remove(name)
    }

    /// Replaces the receivers and the policies' `notify:` lists (after a reload), all or nothing:
    /// a receiver whose secret cannot be read leaves everything as it was. A receiver added
    /// starts delivering within the run loop's interval; one removed stops after its attempt in
    /// flight, and its pending deliveries wait for it to come back.
    public func update(receivers configured: [ReceiverSettings], notifyLists: [String: [String]]) throws {
        let fresh = try Self.receivers(configured, environment: environment)
        receivers = fresh
        self.notifyLists = notifyLists
    }

    private static func receivers(_ configured: [ReceiverSettings], environment: [String: String]) throws -> [String: Receiver] {
        Dictionary(uniqueKeysWithValues: try configured.map { ($0.name, try Receiver($0, environment: environment)) })
    }

    /// Delivers until the task is cancelled: new decisions are enqueued every `interval`, and
    /// each receiver has a loop of its own that sends its due deliveries one after the other.
    /// Cancelling aborts the attempts in flight; their deliveries stay pending for the next start.
    public func run(interval: Duration = .seconds(1)) async {
        await withTaskGroup(of: Void.self) { group in
            // Receivers a reload adds get their loop here. A loop ends itself once its receiver is
            // gone; one removed and added again before that keeps its loop: never two loops (and
            // two attempts of one delivery) for one receiver.
            while !Task.isCancelled {
                enqueue()
                for name in receivers.keys where deliveryLoops.insert(name).inserted {
                    group.addTask {
                        while !Task.isCancelled, await self.receivers[name] != nil {
                            if await self.deliverNext(to: name) { continue }
                            try? await Task.sleep(for: interval)
                        }
                        await self.loopEnded(name)
                    }
                }
                try? await Task.sleep(for: interval)
            }
        }
    }

    /// One round: enqueue new decisions, then attempt each receiver's due delivery (receivers
    /// side by side). Returns the number of attempts made and recorded.
    @discardableResult
    public func runOnce() async -> Int {
        enqueue()
        return await withTaskGroup(of: Bool.self) { group in
            for name in receivers.keys { group.addTask { await self.deliverNext(to: name) } }
            var attempts = 0
            for await attempted in group where attempted { attempts += 1 }
            return attempts
        }
    }

    /// Delivers what is due, round after round, until nothing is or `limit` passes (then the
    /// attempts in flight are aborted): after a stop, what the stop recorded goes out.
    public func drain(within limit: Duration) async {
        let work = Task { while !Task.isCancelled, await self.runOnce() > 0 {} }
        let deadline = Task {
            try? await Task.sleep(for: limit)
            work.cancel()
        }
        await work.value
        deadline.cancel()
    }

    /// Turns the decisions logged since the last call into deliveries.
    private func enqueue() {
        let lists = notifyLists
        let known = Set(receivers.keys)
        let pagerDuty = Set(receivers.values.filter { $0.config.format == .pagerduty }.map(\.config.name))
        do {
            try outbox.enqueueDeliveries(at: now()) { decision, episode in
                guard let type = WebhookEvent.type(of: decision) else { return nil }
                let names = decision.record.policy.flatMap { lists[$0] } ?? Array(known)
                var targets = names.filter(known.contains).sorted()
                // PagerDuty gets only what pages or ends a page: nothing else could ever be sent.
                if !pagerDuty.isDisjoint(with: targets), try !PagerDutyEvent.isSent(type: type, decision: decision, episode: episode) {
                    targets.removeAll(where: pagerDuty.contains)
                }
                return targets.isEmpty ? nil : (type, targets)
            }
        } catch {
            logger.error("webhook outbox unavailable: \(error)")
        }
    }

    /// Attempts `receiver`'s oldest pending delivery if it is due; whether an attempt was made
    /// and recorded (when it was not, the caller waits before trying again).
    private func deliverNext(to receiver: String) async -> Bool {
        let due: PendingDelivery?
        do {
            due = try outbox.dueDelivery(for: receiver, at: now())
        } catch {
            logger.error("webhook outbox unavailable: \(error)")
            return false
        }
        guard let due, let target = receivers[receiver] else { return false }
        var episode: Int64?
        if target.config.format == .pagerduty {
            // Queued before a reload made the receiver a PagerDuty one: sent, it would page.
            guard PagerDutyEvent.action(type: due.event, decision: due.decision) != nil else {
                return settleUnsent(due, reason: "not sent: PagerDuty is sent no \(due.event) (queued before the receiver was format: pagerduty)")
            }
            do {
                episode = try outbox.firingEpisode(of: due.decision)
            } catch {
                logger.error("webhook outbox unavailable: \(error)")
                return false
            }
        }
        return await attempt(due, to: target, episode: episode)
    }

    /// Records `delivery` as failed without sending it; whether that was recorded.
    private func settleUnsent(_ delivery: PendingDelivery, reason: String) -> Bool {
        logger.warning("webhook delivery failed for good: \(reason)", metadata: ["receiver": "\(delivery.receiver)", "webhook_id": "\(delivery.webhookID)"])
        do {
            try outbox.recordAttempt(delivery, at: now(), status: nil, error: reason, durationMilliseconds: 0, result: .failed)
            return true
        } catch {
            logger.error("cannot record a webhook attempt: \(error)")
            return false
        }
    }

    /// Sends `delivery` (in the alert of `episode`, for PagerDuty) and records the attempt;
    /// whether it was recorded.
    private func attempt(_ delivery: PendingDelivery, to receiver: Receiver, episode: Int64?) async -> Bool {
        let request = receiver.request(for: delivery, at: Int(now().timeIntervalSince1970), episode: episode)
        let started = ContinuousClock.now
        let outcome: DeliveryOutcome
        do {
            outcome = DeliveryOutcome(try await http.send(request))
        } catch {
            // Shutdown, not the receiver, ended this attempt: it is not one, and the delivery
            // stays pending as it was.
            if error is CancellationError || Task.isCancelled { return false }
            outcome = DeliveryOutcome(error)
        }
        let result = policy.result(status: outcome.status, retryAfter: outcome.retryAfter, attempts: delivery.attempts,
                                   createdAt: delivery.createdAt, now: now())
        let metadata: Logger.Metadata = [
            "receiver": "\(delivery.receiver)", "webhook_id": "\(delivery.webhookID)", "decision": "\(delivery.decision.id)",
            "status": "\(outcome.status.map(String.init) ?? "none")", "attempt": "\(delivery.attempts + 1)",
        ]
        let failure = receiver.masked(outcome.error)
        let error = failure.map { ": \($0)" } ?? ""
        switch result {
        case .delivered: logger.debug("webhook delivered", metadata: metadata)
        case .retry: logger.info("webhook delivery will be retried\(error)", metadata: metadata)
        case .failed: logger.warning("webhook delivery failed for good\(error)", metadata: metadata)
        case .receiverGone: logger.warning("webhook receiver answered 410 Gone: disabled", metadata: metadata)
        }
        do {
            try outbox.recordAttempt(delivery, at: now(), status: outcome.status, error: failure,
                                    durationMilliseconds: (ContinuousClock.now - started).milliseconds, result: result)
            return true
        } catch {
            logger.error("cannot record a webhook attempt: \(error)")
            return false
        }
    }
}
