import CSystemd
import Foundation

/// Talks to systemd through `sd_notify`: readiness, status, watchdog, reload and stop. Every
/// call is a no-op when the process was not started by systemd (`NOTIFY_SOCKET` unset).
public struct SystemdNotifier: Sendable {
    /// A notifier for this process.
    public init() {}

    /// Sends one or more `KEY=value` lines.
    public func send(_ lines: String...) {
        _ = sd_notify(0, lines.joined(separator: "\n"))
    }

    /// How often systemd expects `WATCHDOG=1`, when its watchdog watches this process
    /// (`WATCHDOG_USEC` set, and `WATCHDOG_PID` unset or ours).
    public var watchdogInterval: Duration? {
        var microseconds: UInt64 = 0
        guard sd_watchdog_enabled(0, &microseconds) > 0, microseconds > 0 else { return nil }
        return .microseconds(Int64(microseconds))
    }

    /// `CLOCK_MONOTONIC` now, in microseconds, as `RELOADING=1` wants it in `MONOTONIC_USEC`.
    public var monotonicMicroseconds: UInt64 {
        var time = timespec()
        clock_gettime(CLOCK_MONOTONIC, &time)
        return UInt64(time.tv_sec) * 1_000_000 + UInt64(time.tv_nsec) / 1000
    }
}
