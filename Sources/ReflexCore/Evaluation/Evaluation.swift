import Foundation

/// The outcome of evaluating one policy at one moment.
public struct Evaluation: Hashable, Sendable {
    /// The policy's name.
    public let policy: String
    /// When the evaluation ran.
    public let at: Date
    /// The start of the newest judged period.
    public let judgedPeriod: Date
    /// The state before.
    public let previous: PolicyStatus
    /// The state after.
    public let status: PolicyStatus
    /// Why.
    public let reason: EvaluationReason
    /// What it saw.
    public let evidence: Evidence

    /// Whether the state changed.
    public var changed: Bool { previous != status }
}
