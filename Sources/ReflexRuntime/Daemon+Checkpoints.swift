import Foundation
import Logging
import ReflexCore

extension Daemon {
    /// Appends a signed checkpoint for `trigger` and writes it to the journal with its fields
    /// as structured fields: a copy that leaves the host with the journal. A checkpoint the
    /// log refuses is logged and made again at the next cycle.
    func appendCheckpoint(_ trigger: String) {
        guard let checkpoints else { return }
        let at = now()
        do {
            let fields = try checkpoints.appendCheckpoint(trigger: trigger, at: at)
            nextCheckpoint = at.addingTimeInterval(Double(checkpointEvery.seconds))
            let summary = fields.first { $0.name == "last_decision_id" }.map { " up to decision \($0.value)" } ?? ""
            logger.notice("audit checkpoint (\(trigger))\(summary)",
                          metadata: Logger.Metadata(uniqueKeysWithValues: fields.map { ("checkpoint_" + $0.name, .string($0.value)) }))
        } catch {
            nextCheckpoint = at
            logger.error("cannot append the \(trigger) checkpoint to the decision log; tried again at the next cycle: \(error)")
        }
    }

    /// Appends the periodic checkpoint when `checkpoint_every` has passed since the last one.
    func checkpointIfDue() {
        guard let next = nextCheckpoint, now() >= next else { return }
        appendCheckpoint("interval")
    }
}
