import Foundation
import ReflexCore

/// Metrics as CloudWatch would return them for the generated corpus (queries in pairs, Errors
/// then Requests, one pair per service): a steady request rate with a few errors, and every
/// `breachingEvery`-th service failing 1 request in 20.
enum SyntheticMetrics {
    static func series(_ queries: [MetricQuery], from start: Date, to end: Date, breachingEvery: Int?)
        -> [MetricQuery: Result<MetricSeries, MetricsFailure>] {
        var results: [MetricQuery: Result<MetricSeries, MetricsFailure>] = [:]
        for (index, query) in queries.enumerated() {
            let service = index / 2
            let breaching = breachingEvery.map { service % $0 == 0 } ?? false
            var series = MetricSeries(period: query.period)
            var periodStart = PeriodGrid(period: query.period).start(of: start)
            while periodStart < Int(end.timeIntervalSince1970) {
                let requests = 1_000.0 + Double((periodStart / 60 + service) % 7) * 10
                series.set(query.metric == "Requests" ? requests : (breaching ? requests / 20 : 2), at: periodStart)
                periodStart += query.period.seconds
            }
            results[query] = .success(series)
        }
        return results
    }
}

/// Answers every query at once with the synthetic series, none breaching.
struct SteadyMetrics: MetricsSource {
    func fetch(_ queries: [MetricQuery], from start: Date, to end: Date) async -> [MetricQuery: Result<MetricSeries, MetricsFailure>] {
        SyntheticMetrics.series(queries, from: start, to: end, breachingEvery: nil)
    }
}
