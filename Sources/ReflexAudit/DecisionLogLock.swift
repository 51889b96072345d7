import Foundation

/// The one-daemon-per-decision-log lock: an exclusive `flock` on `DATABASE.lock`, held for the
/// life of the process (the kernel releases it when the process ends, however it ends). Two
/// daemons on one log would each see the other's intents too late and act twice.
public final class DecisionLogLock: Sendable {
    /// The lock file's path.
    public let path: String
    private let descriptor: Int32

    /// Takes the lock beside the decision log at `databasePath`, or throws naming the process
    /// that holds it. The file holds the holder's pid, for that message and for operators.
    public init(databasePath: String) throws {
        path = databasePath + ".lock"
        let descriptor = open(path, O_CREAT | O_RDWR | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else {
            throw AuditError(.cannotOpen, "cannot create the lock file \(path): \(String(cString: strerror(errno)))")
        }
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
            let holder = Self.holder(descriptor)
            close(descriptor)
            throw AuditError(.inUse, "another reflex daemon\(holder.map { " (pid \($0))" } ?? "") is running on the decision log \(databasePath) (it holds \(path)); one daemon per decision log")
        }
        let pid = Array("\(getpid())\n".utf8)
        _ = ftruncate(descriptor, 0)
        _ = pid.withUnsafeBytes { pwrite(descriptor, $0.baseAddress, $0.count, 0) }
        self.descriptor = descriptor
    }

    deinit { close(descriptor) }

    /// The pid written by the lock's holder, if readable.
    private static func holder(_ descriptor: Int32) -> Int32? {
        var buffer = [UInt8](repeating: 0, count: 32)
        let count = buffer.withUnsafeMutableBytes { pread(descriptor, $0.baseAddress, $0.count, 0) }
        guard count > 0 else { return nil }
        return Int32(String(decoding: buffer[..<count], as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines))
    }
}
