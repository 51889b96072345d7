import ServiceLifecycle

/// Runs the dispatcher until graceful shutdown or cancellation. Shutdown aborts the attempts
/// in flight (curl notices within about a second) instead of waiting for a slow receiver's
/// timeout; their deliveries, like everything else still pending, stay in the database for
/// the next start.
public struct WebhookService: Service {
    let dispatcher: WebhookDispatcher

    /// The service delivering through `dispatcher`.
    public init(dispatcher: WebhookDispatcher) { self.dispatcher = dispatcher }

    public func run() async throws {
        await cancelWhenGracefulShutdown { await dispatcher.run() }
    }
}
