import Foundation

/// Memory figures of a process, from `/proc/PID/status`.
enum ProcessMemory {
    /// The field (`VmRSS`, `VmHWM`, ...) of process `pid` in KiB, or nil when it cannot be read
    /// (the process has gone, or is a zombie without memory).
    static func kilobytes(_ field: String, of pid: String = "self") -> Int? {
        guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
              let line = status.split(separator: "\n").first(where: { $0.hasPrefix(field + ":") }) else { return nil }
        return Int(line.split(separator: " ").dropFirst().first ?? "")
    }

    /// The field of this process in MiB.
    static func mebibytes(_ field: String) -> Double {
        Double(kilobytes(field) ?? 0) / 1024
    }
}
