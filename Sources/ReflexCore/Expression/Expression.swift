/// A parsed, type-checked `condition` or `resolve` expression.
public indirect enum Expression: Hashable, Sendable {
    /// A number literal.
    case number(Double)
    /// The value of a named metric in the period being judged.
    case metric(String)
    /// `-x` or `not x`.
    case unary(UnaryOperator, Expression)
    /// `a + b`, `a > b`, `a and b` and so on.
    case binary(BinaryOperator, Expression, Expression)
    /// `abs(x)`, `min(a, b, ...)`, `max(a, b, ...)`, `fill(x, v)`.
    case call(ScalarFunction, [Expression])
    /// `avg_over(x, 15m)`, `max_over`, `min_over`, `trend(x, 6h)`: a function of `x` over the
    /// trailing window that ends with the period being judged.
    case window(WindowFunction, Expression, TimeSpan)
    /// `predict(x, 6h, 2h)`: `x` extrapolated `ahead` past the judged period from a
    /// least-squares line fitted over the trailing `window`.
    case predict(Expression, window: TimeSpan, ahead: TimeSpan)
}

/// Prefix operators.
public enum UnaryOperator: String, Hashable, Sendable {
    case negate = "-"
    case not
}

/// Infix operators, spelled as in expressions.
public enum BinaryOperator: String, Hashable, Sendable, CaseIterable {
    case add = "+", subtract = "-", multiply = "*", divide = "/"
    case less = "<", lessOrEqual = "<=", greater = ">", greaterOrEqual = ">="
    case equal = "==", notEqual = "!="
    case and, or

    /// Whether the operator compares two numbers into a truth value.
    public var isComparison: Bool {
        switch self {
        case .less, .lessOrEqual, .greater, .greaterOrEqual, .equal, .notEqual: true
        default: false
        }
    }

    /// Whether the operator combines two truth values.
    public var isLogical: Bool { self == .and || self == .or }
}

/// Functions of values in the same period.
public enum ScalarFunction: String, Hashable, Sendable, CaseIterable {
    case abs, min, max
    /// `fill(x, v)`: `x`, or `v` when `x` is missing. CloudWatch publishes some metrics, such
    /// as DynamoDB's ThrottledRequests, only when they are not zero.
    case fill
}

/// Functions over a trailing window of periods.
public enum WindowFunction: String, Hashable, Sendable, CaseIterable {
    case avgOver = "avg_over"
    case maxOver = "max_over"
    case minOver = "min_over"
    /// The total over the window: counts (task stops, log lines) add up.
    case sumOver = "sum_over"
    /// Least-squares slope, in units per hour.
    case trend
}

extension Expression {
    /// How many periods before the judged one this expression reads.
    public func lookbackPeriods(period: TimeSpan) -> Int {
        switch self {
        case .number, .metric:
            return 0
        case let .unary(_, operand):
            return operand.lookbackPeriods(period: period)
        case let .binary(_, lhs, rhs):
            return Swift.max(lhs.lookbackPeriods(period: period), rhs.lookbackPeriods(period: period))
        case let .call(_, arguments):
            return arguments.map { $0.lookbackPeriods(period: period) }.max() ?? 0
        case let .window(_, operand, span), let .predict(operand, span, _):
            return span.seconds / period.seconds - 1 + operand.lookbackPeriods(period: period)
        }
    }

    /// The metric names the expression reads, each once, in order of first use.
    public var metricNames: [String] {
        var names: [String] = []
        func visit(_ expression: Expression) {
            switch expression {
            case .number: break
            case let .metric(name): if !names.contains(name) { names.append(name) }
            case let .unary(_, operand), let .window(_, operand, _), let .predict(operand, _, _): visit(operand)
            case let .binary(_, lhs, rhs): visit(lhs); visit(rhs)
            case let .call(_, arguments): arguments.forEach(visit)
            }
        }
        visit(self)
        return names
    }
}
