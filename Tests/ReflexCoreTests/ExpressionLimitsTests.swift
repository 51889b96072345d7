import ReflexCore
import Testing

/// Expressions too deep or too long for the recursive parser (and every later walk of the tree)
/// are refused with a positioned error instead of overflowing the stack; the largest accepted
/// ones evaluate, hash, compare and print.
struct ExpressionLimitsTests {
    let minute = TimeSpan(seconds: 60)

    func error(in text: String) -> ExpressionError? {
        do throws(ExpressionError) {
            _ = try ExpressionParser.parseCondition(text, metrics: ["errors"], period: minute)
            return nil
        } catch {
            return error
        }
    }

    /// Expects each text to be refused at its offset with a message containing `message`.
    func expectRefused(_ cases: [(text: String, offset: Int)], saying message: String,
                       sourceLocation: SourceLocation = #_sourceLocation) throws {
        for (text, offset) in cases {
            let found = try #require(error(in: text), "\(text.prefix(20))... parsed", sourceLocation: sourceLocation)
            #expect(found.offset == offset, "\(text.prefix(20))...: \(found.message)", sourceLocation: sourceLocation)
            #expect(found.message.contains(message), "\(found.message)", sourceLocation: sourceLocation)
        }
    }

    @Test func deepNestingIsRefusedWhereItGoesTooDeep() throws {
        let depth = ExpressionParser.maximumNesting
        let cases: [(text: String, offset: Int)] = [
            (String(repeating: "(", count: 100) + "errors > 1" + String(repeating: ")", count: 100), depth),
            (String(repeating: "fill(", count: 100) + "errors" + String(repeating: ", 0)", count: 100) + " > 1", depth * 5),
            (String(repeating: "not ", count: 100) + "errors > 1", depth * 4),
            ("errors > " + String(repeating: "- ", count: 100) + "1", 9 + depth * 2),
        ]
        try expectRefused(cases, saying: "nests more than \(depth) levels")
    }

    @Test func nestingUpToTheLimitIsAccepted() throws {
        let depth = ExpressionParser.maximumNesting
        let text = String(repeating: "(", count: depth) + "errors > 1" + String(repeating: ")", count: depth)
        #expect(error(in: text) == nil)
    }

    @Test func overlongExpressionsAreRefusedAtTheFirstTokenTooMany() throws {
        let limit = ExpressionLexer.maximumTokens
        let cases: [(text: String, offset: Int)] = [
            (String(repeating: "(", count: 7_000) + "errors > 1" + String(repeating: ")", count: 7_000), limit),
            (String(repeating: "fill(", count: 20_000) + "errors" + String(repeating: ", 0)", count: 20_000) + " > 1", (limit / 2) * 5),
            (String(repeating: "not ", count: 100_000) + "errors > 1", limit * 4),
            ("errors > " + String(repeating: "-", count: 100_000) + "1", 9 + limit - 2),
            (Array(repeating: "errors > 1", count: 100_000).joined(separator: " and "), (limit / 4) * 15),
            (Array(repeating: "errors", count: 100_000).joined(separator: " + ") + " > 1", (limit / 2) * 9),
        ]
        try expectRefused(cases, saying: "longer than \(limit) tokens")
    }

    @Test func theLongestAcceptedChainsEvaluateHashCompareAndPrint() throws {
        let limit = ExpressionLexer.maximumTokens
        let chains = [
            Array(repeating: "errors > 1", count: limit / 4).joined(separator: " and "),
            Array(repeating: "errors", count: limit / 2 - 1).joined(separator: " + ") + " > 1",
        ]
        let series = ["errors": MetricSeries(period: minute, points: [0: 2])]
        for text in chains {
            let expression = try ExpressionParser.parseCondition(text, metrics: ["errors"], period: minute)
            #expect(expression.value(at: 0, series: series, period: minute) == .truth(true))
            let copy = try ExpressionParser.parseCondition(text, metrics: ["errors"], period: minute)
            #expect(Set([expression, copy]).count == 1)
            #expect(String(describing: expression).hasPrefix("binary("))
            #expect(expression.metricNames == ["errors"])
            #expect(expression.lookbackPeriods(period: minute) == 0)
        }
    }

    @Test(arguments: [("errors > 1e-3", 0.001), ("errors > 2.5E+2", 250), ("errors > 1e5", 100_000), ("errors > .5e-1", 0.05)])
    func decimalExponentsAreNumbers(text: String, value: Double) throws {
        let expression = try ExpressionParser.parseCondition(text, metrics: ["errors"], period: minute)
        #expect(expression == .binary(.greater, .metric("errors"), .number(value)))
    }

    @Test(arguments: [("errors > 0x10", 9, "'0x10' is neither a number"), ("errors > 0b1", 9, "'0b1' is neither a number"),
                      ("errors > 0x1p3", 9, "'0x1p3' is neither a number"), ("errors > 1e", 9, "'1e' is neither a number"),
                      ("errors > 1e-3m", 9, "'1e-3m' is neither a number"), ("errors > inf", 9, "unknown metric 'inf'"),
                      ("errors > nan", 9, "unknown metric 'nan'"), ("errors > 1e400", 9, "'1e400' is neither a number")])
    func nonDecimalNumbersAreRefusedAtTheirColumn(text: String, offset: Int, message: String) throws {
        let found = try #require(error(in: text), "\(text) parsed")
        #expect(found.offset == offset, "\(text): \(found.message)")
        #expect(found.message.contains(message), "\(text): \(found.message)")
    }
}
