import Foundation

/// One run of another program, timed, with the peak memory of it and its descendants.
struct ChildRun {
    /// Wall-clock seconds from spawn to exit.
    let seconds: Double
    /// The largest peak resident set of the program or any of its descendants, in MiB.
    let peakMebibytes: Double

    /// Runs `executable` with `arguments` and `environment`, its output going to `log`, and
    /// waits for it. Throws when it cannot start or exits with a failure.
    static func run(_ executable: String, _ arguments: [String], environment: [String: String], log: String) throws -> ChildRun {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, log, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)

        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { (argv + envp).forEach { free($0) } }

        let start = DispatchTime.now().uptimeNanoseconds
        var pid = pid_t()
        let spawned = posix_spawn(&pid, executable, &actions, nil, argv, envp)
        guard spawned == 0 else { throw BenchmarkError("cannot start \(executable): \(String(cString: strerror(spawned)))") }
        let sampler = PeakMemorySampler(root: pid)
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        let peak = sampler.stop()
        let exited = status & 0x7f == 0, code = (status >> 8) & 0xff
        guard exited && code == 0 else {
            let output = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
            throw BenchmarkError("\(executable) failed (status \(status)): \(output.suffix(2_000))")
        }
        return ChildRun(seconds: seconds, peakMebibytes: peak)
    }
}

/// The largest peak resident set (VmHWM) among a process and its descendants, sampled every
/// 5 ms while it runs. Not `ru_maxrss` from wait4: a child started with posix_spawn (vfork)
/// inherits its parent's high-water mark at exec, so it would report the benchmark's own size.
final class PeakMemorySampler: @unchecked Sendable {
    private let root: pid_t
    private let lock = NSLock()
    private var running = true
    private var peakKilobytes = 0
    private let done = DispatchSemaphore(value: 0)

    init(root: pid_t) {
        self.root = root
        Thread.detachNewThread { [self] in
            while lock.withLock({ running }) {
                let sample = Self.peakKilobytes(under: root)
                lock.withLock { peakKilobytes = max(peakKilobytes, sample) }
                usleep(5_000)
            }
            done.signal()
        }
    }

    /// Stops sampling; the peak in MiB.
    func stop() -> Double {
        lock.withLock { running = false }
        done.wait()
        return Double(lock.withLock { peakKilobytes }) / 1024
    }

    /// The largest VmHWM of `root` and every process descending from it, in KiB.
    private static func peakKilobytes(under root: pid_t) -> Int {
        var parents: [pid_t: pid_t] = [:]
        for entry in (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? [] {
            guard let pid = pid_t(entry), let stat = try? String(contentsOfFile: "/proc/\(entry)/stat", encoding: .utf8),
                  let close = stat.lastIndex(of: ")") else { continue }
            // After "pid (comm)" come the state and the parent's pid.
            let fields = stat[stat.index(after: close)...].split(separator: " ")
            if fields.count > 1, let parent = pid_t(fields[1]) { parents[pid] = parent }
        }
        var peak = 0
        for pid in parents.keys where descends(pid, from: root, parents: parents) {
            peak = max(peak, ProcessMemory.kilobytes("VmHWM", of: String(pid)) ?? 0)
        }
        return peak
    }

    private static func descends(_ pid: pid_t, from root: pid_t, parents: [pid_t: pid_t]) -> Bool {
        var current = pid
        for _ in 0..<64 {
            if current == root { return true }
            guard let parent = parents[current], parent > 1 else { return false }
            current = parent
        }
        return false
    }
}
