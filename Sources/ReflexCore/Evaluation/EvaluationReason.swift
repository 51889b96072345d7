/// Why an evaluation ended in its state. Recorded with every decision, so the audit log
/// explains itself.
public enum EvaluationReason: Hashable, Sendable {
    /// `breaching` of the last `periods` periods breached, at least `required`: firing.
    case breached(breaching: Int, periods: Int, required: Int)
    /// The newest period breaches but fewer than `required` do: pending.
    case building(breaching: Int, periods: Int, required: Int)
    /// Too few periods breach to fire even if every missing one did: ok.
    case clear(breaching: Int, periods: Int, required: Int)
    /// The `resolve` expression holds: a firing policy returns to ok.
    case resolved
    /// A firing policy whose `resolve` expression does not hold yet stays firing.
    case notYetResolved
    /// Missing periods leave the outcome open, so the previous state is kept.
    case undecided(breaching: Int, missing: Int, periods: Int)
    /// No period in the window has data.
    case noData
    /// The metrics could not be read.
    case metricsFailed(MetricsFailure)

    /// A short code for logs, tests and the audit log.
    public var code: String {
        switch self {
        case .breached: "breached"
        case .building: "building"
        case .clear: "clear"
        case .resolved: "resolved"
        case .notYetResolved: "not-yet-resolved"
        case .undecided: "undecided"
        case .noData: "no-data"
        case .metricsFailed: "metrics-failed"
        }
    }

    /// Every code.
    public static let allCodes = ["breached", "building", "clear", "resolved", "not-yet-resolved", "undecided", "no-data", "metrics-failed"]

    /// A one-line explanation for humans.
    public var summary: String {
        switch self {
        case let .breached(breaching, periods, required): "\(breaching) of \(periods) periods breach (\(required) needed)"
        case let .building(breaching, periods, required): "\(breaching) of \(periods) periods breach (\(required) needed)"
        case let .clear(breaching, periods, required): "\(breaching) of \(periods) periods breach (\(required) needed)"
        case .resolved: "the resolve condition holds"
        case .notYetResolved: "the resolve condition does not hold yet"
        case let .undecided(breaching, missing, periods): "\(breaching) breaching and \(missing) missing of \(periods) periods: state kept"
        case .noData: "no data in the window"
        case let .metricsFailed(failure): "metrics unavailable: \(failure.message)"
        }
    }
}
