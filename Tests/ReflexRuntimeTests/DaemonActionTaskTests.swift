import Foundation
import Logging
import ReflexAWS
import ReflexCore
import ReflexRuntime
import Testing

/// The daemon hands each cycle's actions to a task of its own; those tasks must not outlive
/// their work, or a daemon that runs for months holds one per cycle.
@Suite struct DaemonActionTaskTests {
    @Test func finishedActionTasksAreReleased() async throws {
        let world = try await PipelineWorld.make()
        let daemon = world.daemon([PipelineWorld.policy("scale", action: .ecsScale(.by(1), bounds: CountBounds(min: nil, max: 5)))])
        for _ in 0..<3 {
            await daemon.cycle()
            world.clock.advance(60)
        }
        try await world.settle(daemon)
        #expect(await daemon.cyclesWithActionsInFlight == 0)
    }
}
