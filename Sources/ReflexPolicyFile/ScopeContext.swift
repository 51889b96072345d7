/// What a policy's `account(s)` and `region(s)` are read against: the accounts of the daemon
/// config, and the daemon's own region. A policy region that is the daemon's own is written
/// as the daemon's, so that a table has one id (and one cooldown) whichever way it is named.
public struct ScopeContext: Hashable, Sendable {
    /// The config's accounts; nil when no config was given to check account names against.
    public let accounts: [DaemonConfig.Account]?
    /// The daemon's region, if known.
    public let homeRegion: String?

    /// A context; the default knows no account and no region.
    public init(accounts: [DaemonConfig.Account]? = [], homeRegion: String? = nil) {
        self.accounts = accounts
        self.homeRegion = homeRegion
    }
}
