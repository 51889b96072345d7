import Foundation
import ReflexCore
import Testing

/// The series is stored densely; these pin down that it still behaves as a map from period
/// start to value, whatever order the datapoints arrive in.
struct MetricSeriesTests {
    let minute = TimeSpan(seconds: 60)

    @Test func valuesSetNewestFirstOldestFirstOrScatteredReadTheSame() {
        let points: [Int: Double] = [600: 1, 660: 2, 900: 5, 1_200: 0]
        var newestFirst = MetricSeries(period: minute)
        for start in points.keys.sorted(by: >) { newestFirst.set(points[start], at: start) }
        var scattered = MetricSeries(period: minute)
        for start in [900, 600, 1_200, 660] { scattered.set(points[start], at: start) }
        let oldestFirst = MetricSeries(period: minute, points: points)

        for series in [newestFirst, scattered, oldestFirst] {
            #expect(series.points == points)
            #expect(stride(from: 540, through: 1_260, by: 60).map { series.value(at: $0) }
                == [nil, 1, 2, nil, nil, nil, 5, nil, nil, nil, nil, 0, nil])
        }
        #expect(newestFirst == oldestFirst && scattered == oldestFirst)
        #expect(newestFirst.hashValue == oldestFirst.hashValue)
    }

    @Test func aStartOffTheGridOrMissingIsNotAValue() {
        let series = MetricSeries(period: minute, start: Date(timeIntervalSince1970: 600), values: [1, nil, 3])
        #expect(series.value(at: 630) == nil)
        #expect(series.value(at: 660) == nil)
        #expect(series.value(at: 720) == 3)
        #expect(series.value(at: -60) == nil)
        #expect(series.points == [600: 1, 720: 3])
    }

    @Test func clearingAValueMakesItMissingAndEqualToNeverHavingIt() {
        var series = MetricSeries(period: minute, points: [0: 1, 60: 2])
        series.set(nil, at: 60)
        #expect(series.value(at: 60) == nil)
        #expect(series == MetricSeries(period: minute, points: [0: 1]))
        #expect(series != MetricSeries(period: TimeSpan(seconds: 120), points: [0: 1]))
    }
}
