extension DaemonConfig {
    /// The settings that a reload does not apply, by config key, as text to compare (never to
    /// show: receivers' headers may hold tokens). A reload that changes one of them says so.
    public var restartSettings: [String: String] {
        [
            "region": region ?? "",
            "database": database,
            "poll_interval": "\(pollInterval)",
            "discovery_interval": "\(discoveryInterval)",
            "safe_mode": "\(safeMode)",
            "guardrails": globalBudget.map { "\($0)" } ?? "",
            "receivers": receivers.sorted { $0.name < $1.name }.map { "\($0)" }.joined(separator: "\n"),
        ]
    }
}
