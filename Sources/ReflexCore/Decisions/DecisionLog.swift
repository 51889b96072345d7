/// The port through which the pipeline records decisions. An append returns only once the row
/// is durable, so an intent is on disk before the action it describes is attempted.
public protocol DecisionLog: Sendable {
    /// Appends `record` and returns its id.
    func append(_ record: DecisionRecord) throws -> Int64
}
