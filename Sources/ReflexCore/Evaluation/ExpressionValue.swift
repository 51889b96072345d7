/// The value of an expression in one period: a number, a truth value, or missing (no data, or
/// a division by zero). Missing spreads through arithmetic and comparisons.
public enum ExpressionValue: Hashable, Sendable {
    case number(Double)
    case truth(Bool)
    case missing

    /// The number, if this is one.
    public var number: Double? {
        if case let .number(value) = self { return value }
        return nil
    }

    /// The truth value, if this is one.
    public var truth: Bool? {
        if case let .truth(value) = self { return value }
        return nil
    }
}
