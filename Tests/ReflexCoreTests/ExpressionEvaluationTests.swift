import ReflexCore
import Testing

struct ExpressionEvaluationTests {
    let minute = TimeSpan(seconds: 60)
    let names: Set<String> = ["a", "b"]

    /// The condition's value at minute `index` of series `a` and `b`.
    func value(_ text: String, a: [Double?], b: [Double?] = [], at index: Int) throws -> ExpressionValue {
        let expression = try ExpressionParser.parseCondition(text, metrics: names, period: minute)
        let start = PeriodGrid(period: minute).start(of: Fixtures.start)
        return expression.value(at: start + index * 60, series: ["a": Fixtures.series(a), "b": Fixtures.series(b)], period: minute)
    }

    @Test(arguments: [
        ("a + b == 5", ExpressionValue.truth(true)), ("a - b == 1", .truth(true)), ("a * b == 6", .truth(true)),
        ("a / b == 1.5", .truth(true)), ("a / (b - 2) > 0", .missing), ("-a < 0", .truth(true)),
        ("a != b", .truth(true)), ("a <= 3 and b >= 2", .truth(true)), ("abs(b - a) == 1", .truth(true)),
        ("min(a, b, 7) == 2", .truth(true)), ("max(a, b) == 3", .truth(true)),
    ])
    func arithmeticAndComparisons(text: String, expected: ExpressionValue) throws {
        #expect(try value(text, a: [3], b: [2], at: 0) == expected)
    }

    @Test func missingSpreadsButKnownLogicWins() throws {
        #expect(try value("a > 1", a: [nil], at: 0) == .missing)
        #expect(try value("a > 1 and b > 1", a: [nil], b: [0], at: 0) == .truth(false))
        #expect(try value("a > 1 or b > 1", a: [nil], b: [5], at: 0) == .truth(true))
        #expect(try value("a > 1 and b > 1", a: [nil], b: [5], at: 0) == .missing)
        #expect(try value("not a > 1", a: [nil], at: 0) == .missing)
        #expect(try value("fill(a, 0) == 0", a: [nil], at: 0) == .truth(true))
        #expect(try value("fill(a, 0) == 4", a: [4], at: 0) == .truth(true))
    }

    @Test func divisionByZeroIsMissingNeverInfinity() throws {
        #expect(try value("a / b > 0", a: [1], b: [0], at: 0) == .missing)
        #expect(try value("fill(a / b, 7) == 7", a: [1], b: [0], at: 0) == .truth(true))
    }

    @Test func windowFunctionsIgnoreMissingPeriods() throws {
        let a: [Double?] = [1, 5, nil, 3]
        #expect(try value("avg_over(a, 4m) == 3", a: a, at: 3) == .truth(true))
        #expect(try value("max_over(a, 4m) == 5", a: a, at: 3) == .truth(true))
        #expect(try value("min_over(a, 2m) == 3", a: a, at: 3) == .truth(true))
        #expect(try value("avg_over(a, 1m) > 0", a: a, at: 2) == .missing)
    }

    @Test func trendIsTheLeastSquaresSlopePerHour() throws {
        // +1 per minute is +60 per hour.
        #expect(try value("trend(a, 5m) == 60", a: [10, 11, 12, 13, 14], at: 4) == .truth(true))
        #expect(try value("trend(a, 5m) == 0", a: [7, 7, 7, 7, 7], at: 4) == .truth(true))
        #expect(try value("trend(a, 5m) > 0", a: [nil, nil, nil, nil, 1], at: 4) == .missing)
    }

    @Test func predictExtrapolatesTheFittedLine() throws {
        // 10, 12, 14, ...: two per minute, so 30 minutes past 18 is 78.
        #expect(try value("predict(a, 5m, 30m) == 78", a: [10, 12, 14, 16, 18], at: 4) == .truth(true))
        #expect(try value("predict(a, 3m, 1h) == 5", a: [5, 5, 5], at: 2) == .truth(true))
    }
}
