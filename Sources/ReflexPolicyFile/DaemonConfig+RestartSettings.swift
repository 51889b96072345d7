extension DaemonConfig {
    /// The settings a reload cannot apply (only a restart can) that differ in `other`, by
    /// config key: a reload that changes one is rejected, naming them.
    public func settingsNeedingRestart(in other: DaemonConfig) -> [String] {
        var changed: [String] = []
        if region != other.region { changed.append("region") }
        if database != other.database { changed.append("database") }
        if auditSigningKey != other.auditSigningKey { changed.append("audit.signing_key") }
        if checkpointEvery != other.checkpointEvery { changed.append("audit.checkpoint_every") }
        // Each account's clients and credentials are made once, at start.
        if accounts != other.accounts { changed.append("accounts") }
        // The table, node and timings a daemon coordinates with are set at start.
        if highAvailability != other.highAvailability { changed.append("ha") }
        return changed
    }
}
