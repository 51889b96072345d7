/// `when: { condition: EXPR }`: an expression over the policy's own series that must hold on
/// the judged period for the action to be taken. The policy still fires and notifies; a gate
/// that does not hold, or cannot be judged (missing data), holds the action back.
public struct ConditionGate: Hashable, Sendable {
    /// The parsed expression.
    public let expression: Expression
    /// The expression as written, for hold reasons and the audit log.
    public let text: String

    /// A gate over `expression`, written as `text`.
    public init(expression: Expression, text: String) {
        self.expression = expression
        self.text = text
    }
}
