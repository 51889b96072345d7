import Foundation

/// The lease protocol of AWS's DynamoDB lock client, without clocks or I/O: given what a node
/// read and when (on its own monotonic clock, as a `Duration` since any fixed origin), what it
/// writes next. No wall clocks are compared across hosts: a standby takes the lease only after
/// it saw the same record version unchanged for a whole lease, and a leader stops acting once
/// its last successful renewal is older than the lease minus a heartbeat minus a call timeout,
/// so it stops before any standby can take over.
public struct LeaseElection: Sendable {
    /// This node's name, written as the holder.
    public let node: String
    /// How long a record version must stay unchanged before a standby takes the lease.
    public let lease: Duration
    /// How often the leader renews and a standby reads.
    public let heartbeat: Duration
    /// The longest a call to the lease store may take.
    public let callTimeout: Duration

    /// What this node believes it is.
    public enum Role: Hashable, Sendable {
        /// It holds the lease in `epoch`.
        case leader(epoch: Int)
        /// Another node (if known) holds it, or nobody does yet.
        case standby(leader: String?)
    }

    /// A conditional write to send.
    public struct Write: Hashable, Sendable {
        /// The record the write is conditional on (nil: there must be none).
        public let expected: LeaseRecord?
        /// The record to write.
        public let new: LeaseRecord
    }

    /// The record this node wrote last as leader, and when it sent that write.
    private var held: (record: LeaseRecord, sentAt: Duration)?
    /// The other holder's record as first seen, and when (after the read returned).
    private var watched: (record: LeaseRecord, since: Duration)?
    /// The holder last read.
    private var lastSeenHolder: String?

    /// An election for `node`; `lease` must exceed `heartbeat + callTimeout`.
    public init(node: String, lease: Duration, heartbeat: Duration, callTimeout: Duration) {
        precondition(lease > heartbeat + callTimeout, "a lease must outlast a heartbeat and a call")
        self.node = node
        self.lease = lease
        self.heartbeat = heartbeat
        self.callTimeout = callTimeout
    }

    /// The role as of the last write or read.
    public var role: Role {
        if let held { return .leader(epoch: held.record.epoch) }
        return .standby(leader: lastSeenHolder == node ? nil : lastSeenHolder)
    }

    /// The record held, while leading.
    public var heldRecord: LeaseRecord? { held?.record }

    /// Whether this node may act at `now`: it leads and its last renewal is recent enough that
    /// no standby can have taken the lease before an action started now has finished.
    public func mayAct(at now: Duration) -> Bool {
        guard let held else { return false }
        return now - held.sentAt < lease - heartbeat - callTimeout
    }

    /// Whether a leader whose renewals keep failing has passed a whole lease without one: a
    /// standby may hold the lease by now, so this node counts itself deposed.
    public func leaseExpired(at now: Duration) -> Bool {
        guard let held else { return false }
        return now - held.sentAt >= lease
    }

    /// The renewal a leader sends at `now`, with a new record version.
    public func renewal(version: String) -> Write? {
        guard let held else { return nil }
        return Write(expected: held.record, new: LeaseRecord(holder: node, recordVersion: version, epoch: held.record.epoch))
    }

    /// The release a leader sends when it stops cleanly: same epoch, no holder, so a standby
    /// takes over at once.
    public func release(version: String) -> Write? {
        guard let held else { return nil }
        return Write(expected: held.record, new: LeaseRecord(holder: nil, recordVersion: version, epoch: held.record.epoch))
    }

    /// What a standby does with `read` (the stored lease, read and returned at `now`): take it
    /// when there is none, when it was released, or when its record version stayed the same for
    /// a whole lease; else nil, and it keeps watching.
    public mutating func consider(_ read: LeaseRecord?, at now: Duration, version: String) -> Write? {
        guard held == nil else { return nil }
        lastSeenHolder = read?.holder
        guard let read else {
            return Write(expected: nil, new: LeaseRecord(holder: node, recordVersion: version, epoch: 1))
        }
        let takeover = Write(expected: read, new: LeaseRecord(holder: node, recordVersion: version, epoch: read.epoch + 1))
        if read.holder == nil { return takeover }
        guard let watched, watched.record == read else {
            watched = (read, now)
            return nil
        }
        return now - watched.since >= lease ? takeover : nil
    }

    /// Takes in the answer to `write`, sent at `sentAt`: accepted, this node holds `write.new`
    /// (or, for a release, nothing); refused, it holds nothing and watches anew.
    public mutating func wrote(_ write: Write, accepted: Bool, sentAt: Duration) {
        watched = nil
        if accepted, write.new.holder == node {
            held = (write.new, sentAt)
            lastSeenHolder = node
        } else {
            held = nil
            lastSeenHolder = accepted ? nil : lastSeenHolder
        }
    }

    /// Gives up the lease without writing (its renewals failed for a whole lease).
    public mutating func resign() {
        held = nil
        watched = nil
    }
}

extension LeaseElection {
    /// The bound on each lease call for a `heartbeat`: half of it, at most 5 s, so that a
    /// call that hangs ends before the next heartbeat is due.
    public static func callTimeout(heartbeat: Duration) -> Duration {
        min(heartbeat / 2, .seconds(5))
    }
}
