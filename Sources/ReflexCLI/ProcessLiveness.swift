import Foundation

/// Whether the process that reported is still there.
enum ProcessLiveness {
    /// Whether `pid` names a live process: signal 0 is checked, not sent, and a process of
    /// another user (EPERM) is alive too. The kernel may in time give a dead daemon's pid to
    /// another process, which this cannot tell apart; a clean stop is recorded, so only a crash
    /// leaves that doubt.
    static func isAlive(_ pid: Int32) -> Bool {
        // 0 and negative pids name process groups, never one process.
        guard pid > 0 else { return false }
        return kill(pid, 0) == 0 || errno == EPERM
    }
}
