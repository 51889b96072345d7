import ArgumentParser

extension ExitCode {
    /// The thing checked is bad: invalid policies, failing tests, a broken audit chain.
    static let checkFailed = ExitCode(1)
    /// Usage or environment error: bad arguments, missing files, unreachable services.
    static let usageError = ExitCode(2)
    /// The daemon is not running (`reflex status`), as for LSB init scripts.
    static let notRunning = ExitCode(3)
}
