import Foundation
import Logging

/// Collects log lines (message and metadata) so that tests can check what was logged.
public final class LogCapture: @unchecked Sendable {
    private let lock = NSLock()
    private var lines: [String] = []

    /// An empty capture.
    public init() {}

    func append(_ line: String) { lock.withLock { lines.append(line) } }

    /// Everything logged so far, one line per event.
    public var text: String { lock.withLock { lines.joined(separator: "\n") } }

    /// A logger that writes into this capture at every level.
    public func logger(_ label: String) -> Logger {
        Logger(label: label) { _ in CapturingLogHandler(capture: self) }
    }
}

struct CapturingLogHandler: LogHandler {
    let capture: LogCapture
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .trace

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        capture.append("\(event.level) \(event.message) \(metadata.merging(event.metadata ?? [:]) { $1 })")
    }
}
