import ArgumentParser
import Foundation
import ReflexAudit
import ReflexCore

/// `reflex status`: whether the daemon runs, and what it last reported, read from the decision
/// log. Exits 0 while it runs, 3 when it does not (stopped, gone, or never started), 2 on error.
struct StatusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status", abstract: "Show whether the daemon runs and what it last reported; exit 3 when it does not run.")

    @OptionGroup var database: DatabaseOptions

    func run() throws {
        let running = try withDecisionLog {
            let reader = try AuditReader(path: try database.path())
            guard let status = try reader.daemonStatus() else {
                print("not running: no daemon has reported on this decision log yet")
                return false
            }
            let version = status.version.map { ", reflex \($0)" } ?? ""
            let running: Bool
            if let stoppedAt = status.stoppedAt {
                print("stopped at \(StoredTime.format(stoppedAt)) (a clean stop), pid \(status.pid)\(version)")
                running = false
            } else if ProcessLiveness.isAlive(status.pid) {
                let age = Int(Date().timeIntervalSince(status.updatedAt))
                print("running: pid \(status.pid)\(version); last cycle \(StoredTime.format(status.updatedAt)) (\(age) s ago)")
                running = true
            } else {
                // Gone without recording a stop: killed, crashed, or the machine went down.
                print("not running (last report at \(StoredTime.format(status.updatedAt)), pid \(status.pid) gone)")
                running = false
            }
            print(status.summary)
            if let line = Self.metricsLine(status) { print(line) }
            // A fleet instance is reported as "policy target"; a single-target policy by its name.
            let rows = status.states.sorted { $0.key < $1.key }.map { key, state in
                let parts = key.split(separator: " ", maxSplits: 1).map(String.init)
                return [parts[0], parts.count > 1 ? parts[1] : "-", state]
            }
            print(TextTable.render(header: ["POLICY", "INSTANCE", "STATE"], rows: rows))
            return running
        }
        if !running { throw ExitCode.notRunning }
    }

    /// `CloudWatch: 12,400 metrics requested since the start at 2026-... (the schedule buys 312 metrics/h, about $2.25 a month at $0.01 per 1,000)`,
    /// if the daemon counted them (older versions did not).
    static func metricsLine(_ status: DaemonStatus) -> String? {
        guard let requested = status.metricsRequested else { return nil }
        var line = "CloudWatch: \(NumberText.grouped(Double(requested))) metrics requested"
        if let startedAt = status.startedAt { line += " since the start at \(StoredTime.format(startedAt))" }
        if let perHour = status.metricsPerHour {
            // An estimate from a rate: to the cent.
            let pricing = CloudWatchPricing.standard
            let month = (pricing.usd(metrics: perHour * Double(CloudWatchPricing.secondsPerMonth) / 3600) * 100).rounded() / 100
            line += " (the schedule buys \(NumberText.grouped(perHour)) metrics/h, about \(NumberText.usd(month)) a month"
                + " at \(NumberText.usd(pricing.usdPerThousandMetrics)) per 1,000)"
        }
        return line
    }
}
