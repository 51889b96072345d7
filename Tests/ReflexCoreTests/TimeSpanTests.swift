import ReflexCore
import Testing

struct TimeSpanTests {
    @Test(arguments: [
        ("90s", 90), ("5m", 300), ("1h", 3600), ("1d", 86_400), ("1h30m", 5400), ("-10m", -600), ("0s", 0),
    ])
    func parsesOperatorSpellings(text: String, seconds: Int) {
        #expect(TimeSpan(parsing: text)?.seconds == seconds)
    }

    @Test(arguments: ["", "5", "m", "1.5h", "5 m", "5w", "--5m", "5m-", "9999999999s", "4000d"])
    func rejectsEverythingElse(text: String) {
        #expect(TimeSpan(parsing: text) == nil)
    }

    @Test func printsTheShortestSpelling() {
        #expect(TimeSpan(seconds: 5400).description == "1h30m")
        #expect(TimeSpan(seconds: -60).description == "-1m")
        #expect(TimeSpan(seconds: 0).description == "0s")
    }

    @Test func parsesBudgets() {
        #expect(Budget(parsing: "2 per 24h") == Budget(count: 2, window: .hours(24)))
        #expect(Budget(parsing: "2 per") == nil)
        #expect(Budget(parsing: "two per 1h") == nil)
        #expect(Budget(parsing: "2 per 0s") == nil)
    }

    @Test func validatesStatistics() {
        for name in ["Sum", "Average", "Minimum", "Maximum", "SampleCount", "IQM", "p99", "p99.9", "tm90", "wm50", "tc10", "ts95", "p0", "p100"] {
            #expect(Statistic(name) != nil, "\(name)")
        }
        for name in ["sum", "p", "p101", "p99.999", "p-1", "tm", "Avg", "p9x"] {
            #expect(Statistic(name) == nil, "\(name)")
        }
        #expect(Statistic("p99")!.isExtended)
        #expect(!Statistic("Sum")!.isExtended)
    }
}
