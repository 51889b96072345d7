/// An action budget, written `N per D` (e.g. `2 per 24h`): at most `count` actions in any
/// trailing window of length `window`.
public struct Budget: Hashable, Sendable, CustomStringConvertible {
    /// The most actions allowed in one window.
    public let count: Int
    /// The trailing window the count applies to.
    public let window: TimeSpan

    /// A budget of `count` actions per `window`.
    public init(count: Int, window: TimeSpan) {
        self.count = count
        self.window = window
    }

    /// Parses `N per D`; nil when the text has another shape.
    public init?(parsing text: String) {
        let words = text.split(separator: " ", omittingEmptySubsequences: true)
        guard words.count == 3, words[1] == "per", let count = Int(words[0]), count >= 0,
              let window = TimeSpan(parsing: String(words[2])), window.seconds > 0
        else { return nil }
        self.init(count: count, window: window)
    }

    public var description: String { "\(count) per \(window)" }
}
