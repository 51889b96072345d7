import Foundation
import Logging
import ReflexAWS
import ReflexCore
import ReflexRuntime
import Testing

/// The daemon hands each cycle's actions to a task of its own; those tasks must not outlive
/// their work, or a daemon that runs for months holds one per cycle.
@Suite struct DaemonActionTaskTests {
    struct QuietManager: ServiceManager {
        func send(_ lines: String...) {}
        var watchdogInterval: Duration? { nil }
        var monotonicMicroseconds: UInt64 { 0 }
    }

    @Test func finishedActionTasksAreReleased() async throws {
        let world = try await PipelineWorld.make()
        let logger = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })
        let clock = world.clock
        let daemon = Daemon(
            policySet: PolicySetVersion(policies: [PipelineWorld.policy("scale", action: .ecsScale(.by(1), bounds: CountBounds(min: nil, max: 5)))], hashes: [:]),
            pollInterval: .minutes(1), metrics: CloudWatchMetricsSource(client: world.emulator.client(.cloudWatch)),
            pipeline: world.pipeline, ledger: world.store, records: world.store, notifier: world.notifier, manager: QuietManager(),
            logger: logger, safeModeDefault: false, loadPolicies: { throw CancellationError() }, now: { clock.now })

        for _ in 0..<3 {
            await daemon.cycle()
            clock.advance(60)
        }
        let deadline = Date().addingTimeInterval(10)
        while await daemon.cyclesWithActionsInFlight > 0 && Date() < deadline {
            try await Task.sleep(for: .milliseconds(20))
        }
        #expect(await daemon.cyclesWithActionsInFlight == 0)
    }
}
