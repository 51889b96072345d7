import Foundation

/// What an evaluation saw: the judged periods with their metric values and outcome, and, when
/// the condition is a comparison, the two sides of it in the newest period.
public struct Evidence: Hashable, Sendable, Codable {
    /// One judged period.
    public struct Period: Hashable, Sendable, Codable {
        /// Start of the period.
        public let start: Date
        /// Each metric's value in the period; nil when missing.
        public let values: [String: Double?]
        /// Whether the condition held; nil when it could not be computed.
        public let breaching: Bool?
    }

    /// The judged window, newest period first.
    public let periods: [Period]
    /// The left side of the condition's comparison in the newest period.
    public let observed: Double?
    /// The comparison operator, e.g. `>`.
    public let comparator: String?
    /// The right side of the condition's comparison in the newest period.
    public let threshold: Double?

    /// No evidence, for evaluations that read nothing.
    public static let none = Evidence(periods: [], observed: nil, comparator: nil, threshold: nil)

    /// Builds evidence from judged periods.
    public init(periods: [Period], observed: Double?, comparator: String?, threshold: Double?) {
        self.periods = periods
        self.observed = observed
        self.comparator = comparator
        self.threshold = threshold
    }
}
