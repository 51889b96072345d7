import Foundation
import ReflexCore
import Testing

/// Cutting a fetch into calls within GetMetricData's limits: 500 queries and 100,800
/// datapoints (periods of the range summed over the queries) per call.
struct FetchPlanTests {
    let limits = FetchPlan.Limits(queries: 500, datapoints: 100_800)
    let start = Fixtures.start

    func query(_ name: String, period: Int = 60) -> MetricQuery {
        MetricQuery(namespace: "Test", metric: name, dimensions: [], stat: Statistic("Sum")!, period: TimeSpan(seconds: period))
    }

    func hours(_ hours: Double) -> Date { start.addingTimeInterval(hours * 3600) }

    @Test func shortRangesArePackedFiveHundredToACallAndDuplicatesAskedOnce() {
        let queries = (0..<1200).map { query("m\($0)") }
        let plan = FetchPlan(queries: queries + queries.prefix(300), from: start, to: hours(1), limits: limits)
        #expect(plan.calls.map(\.queries.count) == [500, 500, 200])
        #expect(plan.calls.allSatisfy { $0.start == start && $0.end == hours(1) && $0.datapoints == $0.queries.count * 60 })
        #expect(Set(plan.calls.flatMap(\.queries)) == Set(queries))
        #expect(plan.metricsRequested == 1200)
    }

    @Test func aBatchOverTheDatapointLimitIsSplitByQueries() {
        // Two days of minutes: 2,880 datapoints a query, so 35 fit in a call (100,800 exactly).
        let queries = (0..<60).map { query("m\($0)") }
        let plan = FetchPlan(queries: queries, from: start, to: hours(48), limits: limits)
        #expect(plan.calls.map(\.queries.count) == [35, 25])
        #expect(plan.calls.map(\.datapoints) == [100_800, 72_000])
        #expect(plan.calls.flatMap(\.queries) == queries)
        #expect(plan.metricsRequested == 60)
    }

    @Test func queriesOfTheSamePeriodFillCallsTogetherLargestFirst() {
        // Minutes (2,880 a query) and five-minute periods (576) over two days, interleaved.
        let minutes = (0..<40).map { query("one-\($0)") }
        let fives = (0..<40).map { query("five-\($0)", period: 300) }
        let plan = FetchPlan(queries: Array(zip(minutes, fives).map { [$0, $1] }.joined()), from: start, to: hours(48), limits: limits)
        #expect(plan.calls.map(\.queries) == [Array(minutes.prefix(35)), Array(minutes.suffix(5)) + fives])
        #expect(plan.calls.allSatisfy { $0.datapoints <= 100_800 })
    }

    @Test func aQueryOverMoreThanOneCallsDatapointsIsAskedForInSlicesOfItsRange() {
        // 71 days of minutes: 102,240 periods, more than a call may return.
        let long = query("long")
        let end = hours(71 * 24)
        let plan = FetchPlan(queries: [long, query("short", period: 3600)], from: start, to: end, limits: limits)
        let slices = plan.calls.filter { $0.queries == [long] }
        #expect(slices.map(\.start) == [start, start.addingTimeInterval(100_800 * 60)])
        #expect(slices.map(\.end) == [start.addingTimeInterval(100_800 * 60), end])
        #expect(slices.map(\.datapoints) == [100_800, 1_440])
        // The hourly query fits whole: it keeps the whole range (and so a call of its own).
        #expect(plan.calls.contains { $0.queries == [query("short", period: 3600)] && $0.start == start && $0.end == end && $0.datapoints == 1_704 })
        // Each slice is a metric requested: GetMetricData bills it again.
        #expect(plan.metricsRequested == 3)
    }

    @Test func slicesOfOneRangeShareCalls() {
        // Three queries of 150,000 ten-second periods each: a full slice each, then the three
        // remainders (49,200 each) two to a call.
        let queries = (0..<3).map { query("fine-\($0)", period: 10) }
        let plan = FetchPlan(queries: queries, from: start, to: start.addingTimeInterval(1_500_000), limits: limits)
        #expect(plan.calls.map(\.datapoints) == [100_800, 100_800, 100_800, 98_400, 49_200])
        #expect(plan.metricsRequested == 6)
    }

    @Test func aPartialPeriodCountsAsOne() {
        #expect(FetchPlan.periods(of: TimeSpan(seconds: 60), from: start, to: start.addingTimeInterval(61)) == 2)
        #expect(FetchPlan.periods(of: TimeSpan(seconds: 60), from: start, to: start.addingTimeInterval(60)) == 1)
        #expect(FetchPlan.periods(of: TimeSpan(seconds: 60), from: start, to: start) == 0)
    }

    @Test func nothingToFetchIsNoCall() {
        #expect(FetchPlan(queries: [], from: start, to: hours(1), limits: limits).calls.isEmpty)
    }
}
