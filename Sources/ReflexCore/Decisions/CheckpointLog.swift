import Foundation

/// The port through which the daemon appends signed checkpoints of its decision log: at
/// start, every `checkpoint_every`, on every reload and at a clean stop.
public protocol CheckpointLog: Sendable {
    /// Appends a checkpoint made for `trigger` (`start`, `interval`, `reload`, `stop`) at
    /// `date`, and returns its fields by name, for the journal's structured fields.
    func appendCheckpoint(trigger: String, at date: Date) throws -> [(name: String, value: String)]
}
