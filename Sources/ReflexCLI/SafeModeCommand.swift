import ArgumentParser
import Foundation
import ReflexAudit
import ReflexAWS

/// `reflex safe-mode on|off|status`: the kill switch. Stored in the decision log, so a running
/// daemon honours it at its next evaluation without a restart; every change is recorded. With
/// `ha:`, also in the coordination table, which every node of the pair reads.
struct SafeModeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "safe-mode",
        abstract: "Switch safe mode (every policy acts as dry-run) on or off, or show it.")

    enum Switch: String, ExpressibleByArgument, CaseIterable { case on, off, status }

    @Argument(help: "on, off or status.") var setting: Switch
    @OptionGroup var config: ConfigOptions

    func run() async throws {
        let loaded = try config.load()
        let shared = try loaded.sharedSwitches()
        let sharedSetting: Bool?
        if let shared {
            let on = setting == .on
            sharedSetting = try await changingSharedState(shared) {
                if setting == .status { return try await shared.switches().safeMode }
                try await shared.setSafeMode(on, by: OperatorName.current, at: Date())
                return on
            }
        } else {
            sharedSetting = nil
        }
        try withDecisionLog {
            let store = try DecisionStore(path: loaded.database)
            switch setting {
            case .status:
                let on = try sharedSetting ?? store.safeMode(fallback: loaded.safeMode)
                print("safe mode is \(on ? "on" : "off")\(shared.map { " (shared through \($0.table))" } ?? "")")
            case .on, .off:
                let id = try store.setSafeMode(setting == .on, at: Date(), by: OperatorName.current)
                print("safe mode is \(setting.rawValue) (decision \(id))\(shared.map { ", for every node through \($0.table)" } ?? "")")
            }
        }
    }
}
