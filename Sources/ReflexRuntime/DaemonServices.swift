import ServiceLifecycle
import UnixSignals

/// The evaluation loop as a lifecycle service: runs until graceful shutdown, then lets the
/// actions in flight finish (bounded) and flushes the log.
public struct EvaluationService: Service {
    let daemon: Daemon

    /// The service running `daemon`.
    public init(daemon: Daemon) { self.daemon = daemon }

    public func run() async throws {
        let daemon = self.daemon
        // The loop runs in a task of its own so that a stop can cancel a cycle stuck in a
        // fetch (a hanging or endlessly paging AWS call): SIGTERM takes effect at once.
        let loop = Task { await daemon.run() }
        await withTaskCancellationHandler {
            await withGracefulShutdownHandler {
                await loop.value
            } onGracefulShutdown: {
                Task {
                    await daemon.requestStop()
                    loop.cancel()
                }
            }
        } onCancel: {
            loop.cancel()
        }
        await daemon.finish()
    }
}

/// Reloads the policies on every SIGHUP until shutdown.
public struct ReloadService: Service {
    let daemon: Daemon
    let hangups: UnixSignalsSequence

    /// Reloads `daemon` on each signal of `hangups` (created before READY=1, so that no
    /// SIGHUP can arrive before it is trapped).
    public init(daemon: Daemon, hangups: UnixSignalsSequence) {
        self.daemon = daemon
        self.hangups = hangups
    }

    public func run() async throws {
        for await _ in hangups.cancelOnGracefulShutdown() {
            await daemon.reload()
        }
    }
}

/// Holds or watches the lease of a highly available pair and hands role changes to the daemon.
/// Listed before the evaluation service, so that a stop ends evaluation and the actions in
/// flight first; then it writes what the shared state still lacks and releases the lease, and
/// a standby takes over at its next heartbeat.
public struct LeaseService: Service {
    let keeper: LeaseKeeper
    let daemon: Daemon
    let shared: SharedGuardrails

    /// The service keeping `keeper`'s lease for `daemon`.
    public init(keeper: LeaseKeeper, daemon: Daemon, shared: SharedGuardrails) {
        self.keeper = keeper
        self.daemon = daemon
        self.shared = shared
    }

    public func run() async throws {
        let keeper = self.keeper
        let shared = self.shared
        let beats = Task { await keeper.run() }
        await withGracefulShutdownHandler {
            // Ends when the lease is released.
            for await change in keeper.changes { await daemon.leadershipChanged(change) }
        } onGracefulShutdown: {
            Task {
                await shared.sync()
                await keeper.release()
                beats.cancel()
            }
        }
        beats.cancel()
    }
}
