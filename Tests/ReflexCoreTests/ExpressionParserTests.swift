import ReflexCore
import Testing

struct ExpressionParserTests {
    let metrics: Set<String> = ["errors", "requests", "latency", "memory"]
    let minute = TimeSpan(seconds: 60)

    func parse(_ text: String) throws -> Expression {
        try ExpressionParser.parseCondition(text, metrics: metrics, period: minute)
    }

    @Test func multiplicationBindsTighterThanAdditionAndComparison() throws {
        #expect(try parse("errors + requests * 2 > 1") == .binary(.greater,
            .binary(.add, .metric("errors"), .binary(.multiply, .metric("requests"), .number(2))), .number(1)))
    }

    @Test func arithmeticIsLeftAssociative() throws {
        #expect(try parse("errors - requests - 1 > 0") == .binary(.greater,
            .binary(.subtract, .binary(.subtract, .metric("errors"), .metric("requests")), .number(1)), .number(0)))
        #expect(try parse("errors / requests / 2 > 0") == .binary(.greater,
            .binary(.divide, .binary(.divide, .metric("errors"), .metric("requests")), .number(2)), .number(0)))
    }

    @Test func andBindsTighterThanOrAndNotTighterThanAnd() throws {
        let a = Expression.binary(.greater, .metric("errors"), .number(1))
        let b = Expression.binary(.greater, .metric("requests"), .number(2))
        let c = Expression.binary(.greater, .metric("latency"), .number(3))
        #expect(try parse("errors > 1 or requests > 2 and latency > 3") == .binary(.or, a, .binary(.and, b, c)))
        #expect(try parse("not errors > 1 and requests > 2") == .binary(.and, .unary(.not, a), b))
        #expect(try parse("(errors > 1 or requests > 2) and latency > 3") == .binary(.and, .binary(.or, a, b), c))
    }

    @Test func parsesFunctionsAndUnaryMinus() throws {
        #expect(try parse("abs(-errors) > max(1, requests, 2)") == .binary(.greater,
            .call(.abs, [.unary(.negate, .metric("errors"))]), .call(.max, [.number(1), .metric("requests"), .number(2)])))
        #expect(try parse("avg_over(latency, 15m) > 0.5") == .binary(.greater,
            .window(.avgOver, .metric("latency"), TimeSpan(seconds: 900)), .number(0.5)))
        #expect(try parse("predict(memory, 6h, 2h) > 90") == .binary(.greater,
            .predict(.metric("memory"), window: .hours(6), ahead: .hours(2)), .number(90)))
        #expect(try parse("fill(errors, 0) >= 0") == .binary(.greaterOrEqual, .call(.fill, [.metric("errors"), .number(0)]), .number(0)))
    }

    @Test func reportsLookback() throws {
        #expect(try parse("avg_over(latency, 15m) > 0.5").lookbackPeriods(period: minute) == 14)
        #expect(try parse("max_over(avg_over(latency, 5m), 10m) > 0.5").lookbackPeriods(period: minute) == 13)
        #expect(try parse("latency > 0.5").lookbackPeriods(period: minute) == 0)
    }

    @Test(arguments: [
        ("errors >", 8, "ends where a value was expected"),
        ("errors > 1 )", 11, "unexpected ')'"),
        ("erors > 1", 0, "unknown metric 'erors'; did you mean 'errors'?"),
        ("errors + 1", 0, "yields a number"),
        ("errors > 1 + (requests > 2)", 13, "needs a number value"),
        ("errors and requests", 0, "needs a true/false value"),
        ("1 < errors < 3", 11, "cannot be chained"),
        ("avg_over(errors, 90s) > 1", 17, "not a whole number of periods"),
        ("avg_over(errors) > 1", 15, "expected ','"),
        ("avgover(errors, 5m) > 1", 0, "unknown function 'avgover'; did you mean 'avg_over'?"),
        ("errors > 5m", 9, "only allowed as a window argument"),
        ("errors # 1", 7, "unexpected character '#'"),
        ("errors > 1x", 9, "neither a number nor a duration"),
        ("abs(errors, 1) > 1", 0, "abs takes one argument"),
        ("trend(memory, 1m) > 1", 0, "at least two periods"),
        ("predict(memory, 1h, 2) > 1", 20, "how far ahead"),
        ("", 0, "ends where a value was expected"),
        ("(errors > 1", 11, "expected ')'"),
        ("avg_over(errors, 20000m) > 1", 17, "spans more than"),
    ])
    func reportsErrorsAtTheirColumn(text: String, offset: Int, message: String) {
        do throws(ExpressionError) {
            _ = try ExpressionParser.parseCondition(text, metrics: metrics, period: minute)
            Issue.record("'\(text)' parsed")
        } catch {
            #expect(error.offset == offset, "\(text): \(error.message)")
            #expect(error.message.contains(message), "\(text): \(error.message)")
        }
    }
}
