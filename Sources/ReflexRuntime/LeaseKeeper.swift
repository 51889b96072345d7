import Foundation
import Logging
import ReflexCore

/// A change of this node's role, as the lease keeper saw it.
public struct LeadershipChange: Hashable, Sendable {
    /// What happened: `leader-acquired`, `leader-lost` or `standby`.
    public let event: String
    /// The lease epoch, when leading.
    public let epoch: Int?
    /// Why, for humans.
    public let detail: String
}

/// Holds or watches the lease, one heartbeat at a time, by `LeaseElection`'s rules: a leader
/// renews, a standby reads and takes over when the lease is released or goes unrenewed for a
/// whole lease. Tells every role change through `changes`, without waiting for its handling,
/// so that a slow takeover never delays a renewal.
public actor LeaseKeeper {
    private var election: LeaseElection
    private let store: any LeaseStore
    private let logger: Logger
    private let continuation: AsyncStream<LeadershipChange>.Continuation
    /// Every role change, in order; ends when the lease is released.
    public nonisolated let changes: AsyncStream<LeadershipChange>
    private let clock = ContinuousClock()
    private let origin: ContinuousClock.Instant
    /// Set by `release()`: no write is sent after it.
    private var released = false
    /// The leader last reported as `standby`'s leader, so that it is reported once.
    private var reportedLeader: String??
    /// A renewal whose answer was lost (a timeout), and when it was sent: it may have landed,
    /// and the next renewal, conditional on the record before it, would then be refused.
    private var unanswered: (write: LeaseElection.Write, sentAt: Duration)?

    /// A keeper of `election`'s lease in `store`.
    public init(election: LeaseElection, store: any LeaseStore, logger: Logger) {
        self.election = election
        self.store = store
        self.logger = logger
        (changes, continuation) = AsyncStream.makeStream()
        self.origin = clock.now
    }

    private var elapsed: Duration { clock.now - origin }

    /// The role as of the last heartbeat.
    public var role: LeaseElection.Role { election.role }

    /// The lease held, when this node may act now (it leads and renewed recently enough).
    public func actingLease() -> LeaseRecord? {
        election.mayAct(at: elapsed) ? election.heldRecord : nil
    }

    /// Beats until cancelled or released.
    public func run() async {
        while !released && !Task.isCancelled {
            await beat()
            try? await Task.sleep(for: election.heartbeat)
        }
    }

    /// One heartbeat: renew as leader, read (and maybe take over) as standby.
    public func beat() async {
        guard !released else { return }
        if let renewal = election.renewal(version: UUID().uuidString) {
            await renew(renewal)
        } else {
            await watch()
        }
    }

    private func renew(_ write: LeaseElection.Write) async {
        let sentAt = elapsed
        do {
            let accepted = try await store.replaceLease(expected: write.expected, with: write.new)
            guard !released else { return }
            if !accepted, let unanswered, try await store.readLease() == unanswered.write.new {
                // The renewal that timed out had landed: the lease is still ours, as of then.
                self.unanswered = nil
                election.wrote(unanswered.write, accepted: true, sentAt: unanswered.sentAt)
                return
            }
            unanswered = nil
            election.wrote(write, accepted: accepted, sentAt: sentAt)
            if !accepted {
                report(LeadershipChange(event: "leader-lost", epoch: write.expected?.epoch,
                                              detail: "the lease of epoch \(write.expected?.epoch ?? 0) changed hands: another node holds it"))
            }
        } catch {
            unanswered = (write, sentAt)
            logger.warning("lease renewal failed", metadata: ["error": "\(error)"])
            guard election.leaseExpired(at: elapsed) else { return }
            election.resign()
            report(LeadershipChange(event: "leader-lost", epoch: write.expected?.epoch,
                                          detail: "the lease was not renewed for a whole lease: \(error)"))
        }
    }

    private func watch() async {
        do {
            let read = try await store.readLease()
            guard !released else { return }
            let sentAt = elapsed
            guard let take = election.consider(read, at: sentAt, version: UUID().uuidString) else {
                reportStandby()
                return
            }
            let accepted = try await store.replaceLease(expected: take.expected, with: take.new)
            guard !released else { return }
            election.wrote(take, accepted: accepted, sentAt: sentAt)
            if accepted {
                reportedLeader = nil
                let previous = read?.holder
                let how = read == nil ? "first lease" : previous == nil ? "lease released by its holder" : "lease of \(previous!) unrenewed for \(election.lease)"
                report(LeadershipChange(event: "leader-acquired", epoch: take.new.epoch,
                                              detail: "leader in epoch \(take.new.epoch) (\(how))"))
            }
        } catch {
            logger.warning("reading the lease failed", metadata: ["error": "\(error)"])
        }
    }

    private func reportStandby() {
        guard case let .standby(leader) = election.role, let leader, reportedLeader != .some(leader) else { return }
        reportedLeader = .some(leader)
        report(LeadershipChange(event: "standby", epoch: nil, detail: "standby, leader is \(leader)"))
    }

    private func report(_ change: LeadershipChange) {
        logger.notice("\(change.detail)", metadata: ["event": "\(change.event)"])
        continuation.yield(change)
    }

    /// Stops beating and, when leading, releases the lease (same epoch, no holder) so that a
    /// standby takes over at its next read. Best effort: an unreleased lease expires.
    public func release() async {
        guard !released else { return }
        released = true
        defer { continuation.finish() }
        guard let release = election.release(version: UUID().uuidString) else { return }
        election.resign()
        do {
            _ = try await store.replaceLease(expected: release.expected, with: release.new)
        } catch {
            logger.warning("releasing the lease failed; a standby takes over once it expires", metadata: ["error": "\(error)"])
        }
    }
}
