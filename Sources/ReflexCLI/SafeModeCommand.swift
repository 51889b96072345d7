import ArgumentParser
import Foundation
import ReflexAudit

/// `reflex safe-mode on|off|status`: the kill switch. Stored in the decision log, so a running
/// daemon honours it at its next evaluation without a restart; every change is recorded.
struct SafeModeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "safe-mode",
        abstract: "Switch safe mode (every policy acts as dry-run) on or off, or show it.")

    enum Switch: String, ExpressibleByArgument, CaseIterable { case on, off, status }

    @Argument(help: "on, off or status.") var setting: Switch
    @OptionGroup var config: ConfigOptions

    func run() throws {
        let loaded = try config.load()
        try withDecisionLog {
            let store = try DecisionStore(path: loaded.database)
            switch setting {
            case .status:
                print("safe mode is \(try store.safeMode(fallback: loaded.safeMode) ? "on" : "off")")
            case .on, .off:
                let id = try store.setSafeMode(setting == .on, at: Date(), by: OperatorName.current)
                print("safe mode is \(setting.rawValue) (decision \(id))")
            }
        }
    }
}
