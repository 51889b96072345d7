import Logging
import ReflexCore

/// Writes notification events to the log, where journald keeps them with their fields.
public struct LogNotifier: Notifier {
    let logger: Logger

    /// A notifier writing to `logger`.
    public init(logger: Logger) { self.logger = logger }

    public func notify(_ event: NotificationEvent) async {
        var metadata: Logger.Metadata = ["event": "\(event.kind)"]
        if let policy = event.policy { metadata["policy"] = "\(policy)" }
        if let target = event.target { metadata["target"] = "\(target)" }
        if let id = event.decisionID { metadata["decision"] = "\(id)" }
        let level: Logger.Level = event.kind.hasSuffix("failed") || event.kind.hasSuffix("not-verified") || event.kind == "circuit-opened"
            ? .warning : .notice
        logger.log(level: level, "\(event.summary)", metadata: metadata)
    }
}
