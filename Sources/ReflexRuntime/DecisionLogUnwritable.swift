/// The decision log still refuses decisions written earlier, so nothing new may be recorded
/// (or acted on) before them.
struct DecisionLogUnwritable: Error, CustomStringConvertible {
    /// How many decisions are waiting.
    let waiting: Int

    var description: String { "\(waiting) earlier decision(s) are still waiting to be written" }
}
