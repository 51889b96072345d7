import ServiceLifecycle

/// Runs the dispatcher every second until graceful shutdown; what is still pending stays in
/// the database for the next start.
public struct WebhookService: Service {
    let dispatcher: WebhookDispatcher

    /// The service delivering through `dispatcher`.
    public init(dispatcher: WebhookDispatcher) { self.dispatcher = dispatcher }

    public func run() async throws {
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            await dispatcher.runOnce()
            _ = try? await cancelWhenGracefulShutdown { try await Task.sleep(for: .seconds(1)) }
        }
    }
}
