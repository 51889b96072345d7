/// Parses and type-checks the expression language of `condition` and `resolve`:
///
///     or  := and ("or" and)*
///     and := not ("and" not)*
///     not := "not" not | cmp
///     cmp := sum (("<" | "<=" | ">" | ">=" | "==" | "!=") sum)?     -- not chainable
///     sum := product (("+" | "-") product)*                         -- left-associative
///     product := unary (("*" | "/") unary)*                         -- left-associative
///     unary := "-" unary | primary
///     primary := number | metric | function "(" arguments ")" | "(" or ")"
///
/// Functions: abs(x), min(a, b, ...), max(a, b, ...), fill(x, v), avg_over(x, D), max_over(x, D),
/// min_over(x, D), trend(x, D) (slope per hour), predict(x, D, H).
///
/// Names are checked against the policy's metrics and window lengths against its period, so
/// every mistake is reported at its own column before a policy ever runs.
///
/// Parsing, evaluation, hashing and printing all recurse through the expression tree, so its
/// size is bounded here: at most `maximumNesting` levels of parentheses, `not`, unary `-` and
/// function calls, and at most `ExpressionLexer.maximumTokens` tokens (which bounds the depth
/// of a long `a and b and ...` chain).
public struct ExpressionParser {
    /// The deepest nesting of parentheses, `not`, unary `-` and function calls accepted.
    public static let maximumNesting = 64

    /// The kind of value an expression yields.
    enum ValueType: String {
        case number, truth = "true/false"
    }

    private let tokens: [ExpressionToken]
    private var position = 0
    private var depth = 0
    private let metrics: [String]
    private let period: TimeSpan

    /// Parses `text` into a true/false expression over `metrics` (in the order the policy
    /// defines them, which is the order an unknown name's error lists them in), whose windows
    /// must be whole multiples of `period`.
    public static func parseCondition(_ text: String, metrics: some Collection<String>, period: TimeSpan) throws(ExpressionError) -> Expression {
        var parser = ExpressionParser(tokens: try ExpressionLexer.tokens(of: text), metrics: Array(metrics), period: period)
        let (expression, type) = try parser.parseOr()
        try parser.expectEnd()
        guard type == .truth else {
            throw ExpressionError(offset: 0, message: "the expression yields a number; compare it, e.g. '... > 0.01'")
        }
        return expression
    }

    private init(tokens: [ExpressionToken], metrics: [String], period: TimeSpan) {
        self.tokens = tokens
        self.metrics = metrics
        self.period = period
    }

    private var current: ExpressionToken { tokens[position] }

    private mutating func advance() -> ExpressionToken {
        defer { position = min(position + 1, tokens.count - 1) }
        return tokens[position]
    }

    private func isSymbol(_ symbol: String) -> Bool { current.kind == .symbol(symbol) }
    private func isKeyword(_ keyword: String) -> Bool { current.kind == .identifier(keyword) }

    private mutating func expectEnd() throws(ExpressionError) {
        guard current.kind == .end else {
            throw ExpressionError(offset: current.offset, message: "unexpected '\(current.text)' after a complete expression")
        }
    }

    private mutating func expectSymbol(_ symbol: String, _ context: String) throws(ExpressionError) {
        guard isSymbol(symbol) else {
            throw ExpressionError(offset: current.offset, message: "expected '\(symbol)' \(context), found '\(current.text)'")
        }
        _ = advance()
    }

    private func require(_ type: ValueType, _ actual: ValueType, at offset: Int, _ what: String) throws(ExpressionError) {
        guard type == actual else {
            throw ExpressionError(offset: offset, message: "\(what) needs a \(type.rawValue) value, found a \(actual.rawValue) value")
        }
    }

    /// Runs `body` one nesting level deeper, refusing to go past `maximumNesting`: the parser
    /// recurses once per level, and so does every later walk of the tree.
    private mutating func nested<T>(
        at offset: Int, _ body: (inout ExpressionParser) throws(ExpressionError) -> T
    ) throws(ExpressionError) -> T {
        guard depth < Self.maximumNesting else {
            throw ExpressionError(offset: offset, message: "the expression nests more than \(Self.maximumNesting) levels deep (parentheses, 'not', '-' and function calls)")
        }
        depth += 1
        defer { depth -= 1 }
        return try body(&self)
    }

    private mutating func parseOr() throws(ExpressionError) -> (Expression, ValueType) {
        try parseLeftAssociative([.or], operands: .truth) { (parser: inout ExpressionParser) throws(ExpressionError) in try parser.parseAnd() }
    }

    private mutating func parseAnd() throws(ExpressionError) -> (Expression, ValueType) {
        try parseLeftAssociative([.and], operands: .truth) { (parser: inout ExpressionParser) throws(ExpressionError) in try parser.parseNot() }
    }

    /// One precedence level of left-associative operators whose operands and result are of
    /// type `operands` (`or`, `and`, `+ -`, `* /`).
    private mutating func parseLeftAssociative(
        _ operators: [BinaryOperator], operands type: ValueType,
        operand: (inout ExpressionParser) throws(ExpressionError) -> (Expression, ValueType)
    ) throws(ExpressionError) -> (Expression, ValueType) {
        let start = current.offset
        var (lhs, lhsType) = try operand(&self)
        while let op = operators.first(where: { current.kind == .symbol($0.rawValue) || current.kind == .identifier($0.rawValue) }) {
            _ = advance()
            try require(type, lhsType, at: start, "'\(op.rawValue)'")
            let rhsStart = current.offset
            let (rhs, rhsType) = try operand(&self)
            try require(type, rhsType, at: rhsStart, "'\(op.rawValue)'")
            lhs = .binary(op, lhs, rhs)
            lhsType = type
        }
        return (lhs, lhsType)
    }

    private mutating func parseNot() throws(ExpressionError) -> (Expression, ValueType) {
        guard isKeyword("not") else { return try parseComparison() }
        let keyword = advance()
        let start = current.offset
        let (operand, type) = try nested(at: keyword.offset) { (parser: inout ExpressionParser) throws(ExpressionError) in try parser.parseNot() }
        try require(.truth, type, at: start, "'not'")
        return (.unary(.not, operand), .truth)
    }

    private mutating func parseComparison() throws(ExpressionError) -> (Expression, ValueType) {
        let start = current.offset
        let (lhs, lhsType) = try parseSum()
        guard case let .symbol(symbol) = current.kind, let op = BinaryOperator(rawValue: symbol), op.isComparison
        else { return (lhs, lhsType) }
        _ = advance()
        try require(.number, lhsType, at: start, "'\(symbol)'")
        let rhsStart = current.offset
        let (rhs, rhsType) = try parseSum()
        try require(.number, rhsType, at: rhsStart, "'\(symbol)'")
        if case let .symbol(next) = current.kind, let chained = BinaryOperator(rawValue: next), chained.isComparison {
            throw ExpressionError(offset: current.offset, message: "comparisons cannot be chained; join them with 'and'")
        }
        return (.binary(op, lhs, rhs), .truth)
    }

    private mutating func parseSum() throws(ExpressionError) -> (Expression, ValueType) {
        try parseLeftAssociative([.add, .subtract], operands: .number) { (parser: inout ExpressionParser) throws(ExpressionError) in
            try parser.parseProduct()
        }
    }

    private mutating func parseProduct() throws(ExpressionError) -> (Expression, ValueType) {
        try parseLeftAssociative([.multiply, .divide], operands: .number) { (parser: inout ExpressionParser) throws(ExpressionError) in
            try parser.parseUnary()
        }
    }

    private mutating func parseUnary() throws(ExpressionError) -> (Expression, ValueType) {
        guard isSymbol("-") else { return try parsePrimary() }
        let minus = advance()
        let start = current.offset
        let (operand, type) = try nested(at: minus.offset) { (parser: inout ExpressionParser) throws(ExpressionError) in try parser.parseUnary() }
        try require(.number, type, at: start, "'-'")
        return (.unary(.negate, operand), .number)
    }

    private mutating func parsePrimary() throws(ExpressionError) -> (Expression, ValueType) {
        let token = advance()
        switch token.kind {
        case let .number(value):
            return (.number(value), .number)
        case .duration:
            throw ExpressionError(offset: token.offset, message: "a duration such as '\(token.text)' is only allowed as a window argument")
        case .symbol("("):
            let inner = try nested(at: token.offset) { (parser: inout ExpressionParser) throws(ExpressionError) in try parser.parseOr() }
            try expectSymbol(")", "to close the parenthesis")
            return inner
        case let .identifier(name) where ["and", "or", "not"].contains(name):
            throw ExpressionError(offset: token.offset, message: "expected a value before '\(name)'")
        case let .identifier(name) where isSymbol("("):
            return try nested(at: token.offset) { (parser: inout ExpressionParser) throws(ExpressionError) in try parser.parseCall(name, at: token.offset) }
        case let .identifier(name):
            guard metrics.contains(name) else {
                throw ExpressionError(offset: token.offset, message: "unknown metric '\(name)'"
                    + NearestName.hint(for: name, among: metrics, listedAs: "this policy's metrics are"))
            }
            return (.metric(name), .number)
        case .end:
            throw ExpressionError(offset: token.offset, message: "the expression ends where a value was expected")
        case .symbol:
            throw ExpressionError(offset: token.offset, message: "expected a value, found '\(token.text)'")
        }
    }

    private static let functionNames = ScalarFunction.allCases.map(\.rawValue) + WindowFunction.allCases.map(\.rawValue) + ["predict"]

    private mutating func parseCall(_ name: String, at offset: Int) throws(ExpressionError) -> (Expression, ValueType) {
        _ = advance() // "("
        if let function = ScalarFunction(rawValue: name) {
            var arguments: [Expression] = []
            repeat {
                if !arguments.isEmpty { _ = advance() }
                arguments.append(try parseNumberArgument(of: name))
            } while isSymbol(",")
            try expectSymbol(")", "to close \(name)(")
            let (expected, arity): (ClosedRange<Int>, String) = switch function {
            case .abs: (1...1, "one argument")
            case .fill: (2...2, "two arguments: a value and its stand-in when missing")
            case .min, .max: (2...Int.max, "two or more arguments")
            }
            guard expected.contains(arguments.count) else {
                throw ExpressionError(offset: offset, message: "\(name) takes \(arity)")
            }
            return (.call(function, arguments), .number)
        }
        if let function = WindowFunction(rawValue: name) {
            let operand = try parseNumberArgument(of: name)
            try expectSymbol(",", "between \(name)'s value and its window")
            let window = try parseWindow(of: name)
            try expectSymbol(")", "to close \(name)(")
            if function == .trend && window.seconds < period.seconds * 2 {
                throw ExpressionError(offset: offset, message: "trend needs a window of at least two periods (\(period * 2))")
            }
            return (.window(function, operand, window), .number)
        }
        if name == "predict" {
            let operand = try parseNumberArgument(of: name)
            try expectSymbol(",", "after predict's value")
            let window = try parseWindow(of: name)
            if window.seconds < period.seconds * 2 {
                throw ExpressionError(offset: offset, message: "predict needs a window of at least two periods (\(period * 2))")
            }
            try expectSymbol(",", "after predict's window")
            let aheadToken = advance()
            guard case let .duration(ahead) = aheadToken.kind else {
                throw ExpressionError(offset: aheadToken.offset, message: "predict's third argument is how far ahead, a duration such as 2h")
            }
            try expectSymbol(")", "to close predict(")
            return (.predict(operand, window: window, ahead: ahead), .number)
        }
        throw ExpressionError(offset: offset, message: "unknown function '\(name)'"
            + NearestName.hint(for: name, among: Self.functionNames, listedAs: "the functions are"))
    }

    private mutating func parseNumberArgument(of function: String) throws(ExpressionError) -> Expression {
        let start = current.offset
        let (argument, type) = try parseOr()
        try require(.number, type, at: start, "\(function)")
        return argument
    }

    private mutating func parseWindow(of function: String) throws(ExpressionError) -> TimeSpan {
        let token = advance()
        guard case let .duration(window) = token.kind else {
            throw ExpressionError(offset: token.offset, message: "\(function)'s window must be a duration such as 15m")
        }
        guard window.seconds >= period.seconds, window.seconds % period.seconds == 0 else {
            throw ExpressionError(offset: token.offset, message: "window \(window) is not a whole number of periods (\(period))")
        }
        guard window.seconds / period.seconds <= BreachWindow.largest else {
            throw ExpressionError(offset: token.offset, message: "window \(window) spans more than \(BreachWindow.largest) periods")
        }
        return window
    }
}
