import Foundation

/// What the daemon reports after each cycle, for `STATUS=` and `reflex status`.
public struct DaemonStatus: Codable, Hashable, Sendable {
    /// When the cycle ended.
    public var updatedAt: Date
    /// The daemon's process id.
    public var pid: Int32
    /// The number of policies.
    public var policies: Int
    /// Policy instances firing.
    public var firing: Int
    /// Policy instances in `error`.
    public var errors: Int
    /// The targets judged: one per single-target policy, one per fleet instance.
    public var targets: Int?
    /// Fleet selectors whose last discovery failed (their last known members are kept), with why.
    public var discoveryErrors: [String]?
    /// How long the last cycle took.
    public var cycleSeconds: Double
    /// Whether safe mode is on.
    public var safeMode: Bool
    /// Each instance's state, by policy name (and target, for fleet instances).
    public var states: [String: String]
    /// The last reload's problem, if the last reload was rejected.
    public var reloadError: String?
    /// Why the daemon cannot do its job in full (the decision log refuses writes), if so.
    public var degraded: String?
    /// When the daemon started.
    public var startedAt: Date?
    /// Metrics requested from CloudWatch (queries sent with GetMetricData) since the start.
    public var metricsRequested: Int?
    /// The metrics an hour the fetch schedule buys for the series it keeps (each once per period).
    public var metricsPerHour: Double?
    /// The version of Reflex that reported.
    public var version: String?
    /// When the daemon stopped cleanly (its last report); nil while it runs, and after a stop
    /// that was no clean one (a crash, a kill), which `reflex status` tells by the pid.
    public var stoppedAt: Date?
    /// This node's role when it runs as one of a highly available pair: `leader (epoch 7)`,
    /// `standby, leader is host-b`; nil when it runs alone.
    public var role: String?

    /// A status report.
    public init(updatedAt: Date, pid: Int32, policies: Int, firing: Int, errors: Int, cycleSeconds: Double, safeMode: Bool,
                states: [String: String], reloadError: String?) {
        self.updatedAt = updatedAt
        self.pid = pid
        self.policies = policies
        self.firing = firing
        self.errors = errors
        self.cycleSeconds = cycleSeconds
        self.safeMode = safeMode
        self.states = states
        self.reloadError = reloadError
    }

    /// The one-line summary sent as `STATUS=`.
    public var summary: String {
        var line = role.map { "\($0); " } ?? ""
        line += "\(policies) policies"
        if let targets { line += " over \(targets) targets" }
        line += ", \(firing) firing, \(errors) errors, last cycle \(String(format: "%.1f", cycleSeconds)) s"
        if let metricsPerHour { line += ", \(NumberText.grouped(metricsPerHour)) metrics/h" }
        if let discoveryErrors, !discoveryErrors.isEmpty { line += ", discovery failing (last known fleet kept): " + discoveryErrors.joined(separator: "; ") }
        if safeMode { line += ", SAFE MODE" }
        if let reloadError { line += ", reload rejected: \(reloadError)" }
        if let degraded { line += ", DEGRADED: \(degraded)" }
        return line
    }
}

/// Where the daemon keeps what it reports, and the versions of the policies it runs.
public protocol DaemonRecords: Sendable {
    /// Stores the latest status.
    func recordStatus(_ status: DaemonStatus) throws
    /// Moves the write-ahead log into the database, as on a clean stop.
    func checkpoint() throws
}
