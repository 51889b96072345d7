/// Evaluates expressions period by period. The parser has already checked types, so a value of
/// the wrong kind can only mean a missing one.
extension Expression {
    /// The value of the expression in the period starting at `periodStart`.
    public func value(at periodStart: Int, series: [String: MetricSeries], period: TimeSpan) -> ExpressionValue {
        switch self {
        case let .number(value):
            return .number(value)
        case let .metric(name):
            return series[name]?.value(at: periodStart).map(ExpressionValue.number) ?? .missing
        case let .unary(.negate, operand):
            return operand.value(at: periodStart, series: series, period: period).number.map { .number(-$0) } ?? .missing
        case let .unary(.not, operand):
            return operand.value(at: periodStart, series: series, period: period).truth.map { .truth(!$0) } ?? .missing
        case let .binary(op, lhs, rhs) where op.isLogical:
            return Self.logical(op, lhs.value(at: periodStart, series: series, period: period).truth,
                                rhs.value(at: periodStart, series: series, period: period).truth)
        case let .binary(op, lhs, rhs):
            guard let a = lhs.value(at: periodStart, series: series, period: period).number,
                  let b = rhs.value(at: periodStart, series: series, period: period).number
            else { return .missing }
            return Self.apply(op, a, b)
        case let .call(.fill, arguments):
            let value = arguments[0].value(at: periodStart, series: series, period: period)
            return value == .missing ? arguments[1].value(at: periodStart, series: series, period: period) : value
        case let .call(function, arguments):
            let numbers = arguments.compactMap { $0.value(at: periodStart, series: series, period: period).number }
            guard numbers.count == arguments.count else { return .missing }
            switch function {
            case .abs: return .number(Swift.abs(numbers[0]))
            case .min: return .number(numbers.min()!)
            case .max: return .number(numbers.max()!)
            case .fill: return .number(numbers[0])
            }
        case let .window(function, operand, span):
            let points = operand.points(endingAt: periodStart, span: span, series: series, period: period)
            return WindowStatistics.apply(function, to: points).map(ExpressionValue.number) ?? .missing
        case let .predict(operand, span, ahead):
            let points = operand.points(endingAt: periodStart, span: span, series: series, period: period)
            guard let line = WindowStatistics.leastSquares(points) else { return .missing }
            return .number(line.value(at: Double(periodStart + ahead.seconds)))
        }
    }

    /// The present values of the expression over the trailing `span` that ends with the period
    /// starting at `periodStart`, as (period start, value) pairs, oldest first.
    private func points(endingAt periodStart: Int, span: TimeSpan, series: [String: MetricSeries], period: TimeSpan) -> [(x: Double, y: Double)] {
        // A window over a plain metric (the common case) reads its series once, not once per period.
        var metric: MetricSeries?
        if case let .metric(name) = self {
            guard let found = series[name] else { return [] }
            metric = found
        }
        let count = span.seconds / period.seconds
        var points: [(x: Double, y: Double)] = []
        points.reserveCapacity(count)
        for back in stride(from: count - 1, through: 0, by: -1) {
            let start = periodStart - back * period.seconds
            let y: Double?
            if let metric { y = metric.value(at: start) } else { y = value(at: start, series: series, period: period).number }
            if let y { points.append((Double(start), y)) }
        }
        return points
    }

    private static func logical(_ op: BinaryOperator, _ a: Bool?, _ b: Bool?) -> ExpressionValue {
        // Three-valued logic: a known answer wins over a missing operand.
        switch (op, a, b) {
        case (.and, false, _), (.and, _, false): return .truth(false)
        case (.and, true, true): return .truth(true)
        case (.or, true, _), (.or, _, true): return .truth(true)
        case (.or, false, false): return .truth(false)
        default: return .missing
        }
    }

    private static func apply(_ op: BinaryOperator, _ a: Double, _ b: Double) -> ExpressionValue {
        switch op {
        case .add: return .number(a + b)
        case .subtract: return .number(a - b)
        case .multiply: return .number(a * b)
        case .divide: return b == 0 ? .missing : .number(a / b)
        case .less: return .truth(a < b)
        case .lessOrEqual: return .truth(a <= b)
        case .greater: return .truth(a > b)
        case .greaterOrEqual: return .truth(a >= b)
        case .equal: return .truth(a == b)
        case .notEqual: return .truth(a != b)
        case .and, .or: return .missing
        }
    }
}
