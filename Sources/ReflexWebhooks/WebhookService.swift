import ServiceLifecycle

/// Runs the dispatcher until graceful shutdown or cancellation. Shutdown aborts the attempts
/// in flight (curl notices within about a second) instead of waiting for a slow receiver's
/// timeout; with a `drainLimit` it then delivers for at most that long what the stop recorded (its signed
/// checkpoint among it), as the service shut down last; what is still pending then stays in
/// the database for the next start.
public struct WebhookService: Service {
    let dispatcher: WebhookDispatcher
    let drainLimit: Duration

    /// The service delivering through `dispatcher`; with a `drainLimit`, what is due at the
    /// shutdown is still delivered for up to that long.
    public init(dispatcher: WebhookDispatcher, drainLimit: Duration = .zero) {
        self.dispatcher = dispatcher
        self.drainLimit = drainLimit
    }

    public func run() async throws {
        await cancelWhenGracefulShutdown { await dispatcher.run() }
        if drainLimit > .zero && !Task.isCancelled { await dispatcher.drain(within: drainLimit) }
    }
}
