import Foundation
import Logging
import ReflexAudit
import ReflexCore
import ReflexHTTP
import ReflexPolicyFile

/// Delivers webhooks from the decision log: turns new decisions into deliveries (one per
/// receiver), sends each receiver's oldest due delivery, and records every attempt. Runs apart
/// from evaluation, so a slow or dead receiver never delays a cycle; everything it needs is
/// in the database, so a restart resumes where it stopped.
public actor WebhookDispatcher {
    let store: DecisionStore
    let receivers: [String: Receiver]
    let http: any HTTPClient
    let policy: DeliveryPolicy
    let logger: Logger
    let now: @Sendable () -> Date
    private var notifyLists: [String: [String]]

    /// A dispatcher for the configured `receivers`; `notifyLists` are the policies' `notify:`
    /// lists by policy name (decisions without a policy go to every receiver).
    public init(store: DecisionStore, receivers: [DaemonConfig.Receiver], notifyLists: [String: [String]],
                environment: [String: String] = ProcessInfo.processInfo.environment, http: any HTTPClient,
                policy: DeliveryPolicy = DeliveryPolicy(), logger: Logger, now: @escaping @Sendable () -> Date = Date.init) throws {
        self.store = store
        self.receivers = Dictionary(uniqueKeysWithValues: try receivers.map { ($0.name, try Receiver($0, environment: environment)) })
        self.notifyLists = notifyLists
        self.http = http
        self.policy = policy
        self.logger = logger
        self.now = now
    }

    /// Replaces the policies' `notify:` lists (after a reload).
    public func update(notifyLists: [String: [String]]) {
        self.notifyLists = notifyLists
    }

    /// One round: enqueue new decisions, then attempt every due delivery. Returns the number of
    /// attempts made.
    @discardableResult
    public func runOnce() async -> Int {
        let lists = notifyLists
        let known = Set(receivers.keys)
        do {
            try store.enqueueDeliveries(at: now()) { decision in
                guard let type = WebhookEvent.type(of: decision) else { return nil }
                let names = decision.record.policy.flatMap { lists[$0] } ?? Array(known)
                let targets = names.filter(known.contains).sorted()
                return targets.isEmpty ? nil : (type, targets)
            }
            let due = try store.dueDeliveries(at: now())
            await withTaskGroup(of: Void.self) { group in
                for delivery in due { group.addTask { await self.attempt(delivery) } }
            }
            return due.count
        } catch {
            logger.error("webhook outbox unavailable: \(error)")
            return 0
        }
    }

    private func attempt(_ delivery: PendingDelivery) async {
        guard let receiver = receivers[delivery.receiver], let url = URL(string: receiver.config.url) else { return }
        let timestamp = Int(now().timeIntervalSince1970)
        let body = receiver.config.format == .slack
            ? WebhookEvent.slack(type: delivery.event, decision: delivery.decision)
            : WebhookEvent.body(webhookID: delivery.webhookID, type: delivery.event, decision: delivery.decision)
        var headers: [(name: String, value: String)] = [("Content-Type", "application/json"), ("User-Agent", "reflex")]
        if receiver.config.format == .standard {
            headers += [("webhook-id", delivery.webhookID), ("webhook-timestamp", String(timestamp))]
            if receiver.signer.isSigning {
                headers.append(("webhook-signature", receiver.signer.signature(id: delivery.webhookID, timestamp: timestamp, body: body)))
            }
        }
        headers += receiver.config.headers.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
        let request = HTTPRequest(method: "POST", url: url, headers: headers, body: body, connectTimeout: .seconds(5),
                                  timeout: .seconds(receiver.config.timeout.seconds))
        let started = ContinuousClock.now
        var status: Int?
        var retryAfter: String?
        var failure: String?
        do {
            let response = try await http.send(request)
            status = response.status
            retryAfter = response.headers["retry-after"]
        } catch {
            failure = "\(error)"
        }
        let result = policy.result(status: status, retryAfter: retryAfter, attempts: delivery.attempts, createdAt: delivery.createdAt, now: now())
        let metadata: Logger.Metadata = [
            "receiver": "\(delivery.receiver)", "webhook_id": "\(delivery.webhookID)", "decision": "\(delivery.decision.id)",
            "status": "\(status.map(String.init) ?? "none")", "attempt": "\(delivery.attempts + 1)",
        ]
        switch result {
        case .delivered: logger.debug("webhook delivered", metadata: metadata)
        case .retry: logger.info("webhook delivery will be retried\(failure.map { ": \($0)" } ?? "")", metadata: metadata)
        case .failed: logger.warning("webhook delivery failed for good\(failure.map { ": \($0)" } ?? "")", metadata: metadata)
        case .receiverGone: logger.warning("webhook receiver answered 410 Gone: disabled", metadata: metadata)
        }
        do {
            try store.recordAttempt(delivery, at: now(), status: status, error: failure ?? status.flatMap { (200..<300).contains($0) ? nil : "HTTP \($0)" },
                                    durationMilliseconds: (ContinuousClock.now - started).milliseconds, result: result)
        } catch {
            logger.error("cannot record a webhook attempt: \(error)")
        }
    }
}
