/// The port to the service manager (systemd): readiness, status, watchdog, reload, stop.
public protocol ServiceManager: Sendable {
    /// Sends `KEY=value` lines.
    func send(_ lines: String...)
    /// How often the watchdog wants a sign of life, if it watches.
    var watchdogInterval: Duration? { get }
    /// The monotonic clock in microseconds, for `MONOTONIC_USEC`.
    var monotonicMicroseconds: UInt64 { get }
}
