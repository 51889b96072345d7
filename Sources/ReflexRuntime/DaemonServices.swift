import ServiceLifecycle
import UnixSignals

/// The evaluation loop as a lifecycle service: runs until graceful shutdown, then lets the
/// actions in flight finish (bounded) and flushes the log.
public struct EvaluationService: Service {
    let daemon: Daemon

    /// The service running `daemon`.
    public init(daemon: Daemon) { self.daemon = daemon }

    public func run() async throws {
        await withGracefulShutdownHandler {
            await daemon.run()
        } onGracefulShutdown: {
            Task { await daemon.requestStop() }
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
