import Foundation
import ReflexCore

/// Realistic generated policies: each watches its own metric (5xx rate after a deploy,
/// throttling with a 15-minute average), one per target.
enum PolicyCorpus {
    static func yaml(count: Int) -> String {
        var text = "policies:\n"
        for index in 0..<count {
            text += """
              - name: generated-\(index)
                mode: enforce
                metrics:
                  errors:   { namespace: Bench, metric: Errors, dimensions: { Service: s\(index) }, stat: Sum, period: 1m }
                  requests: { namespace: Bench, metric: Requests, dimensions: { Service: s\(index) }, stat: Sum, period: 1m }
                condition: fill(errors, 0) / requests > 0.01 and avg_over(requests, 15m) > 100
                for: 3m
                missing_data: not-breaching
                target: { ecs_service: { cluster: bench, service: s\(index) } }
                action: { ecs_scale: { by: 1, max: 10 } }
                guardrails: { cooldown: 10m, max_actions: 3 per 1h }

            """
        }
        return text
    }

    static func write(count: Int, to path: String) throws {
        try yaml(count: count).write(toFile: path, atomically: true, encoding: .utf8)
    }

    /// The same policies, parsed in process (for benchmarks that do not read files); policy
    /// `index` reads its metrics at `periods[index % periods.count]`, its average over 15 periods.
    static func policies(count: Int, periods: [TimeSpan] = [.minutes(1)]) throws -> [Policy] {
        (0..<count).map { index in
            let period = periods[index % periods.count]
            let query = { (metric: String) in
                MetricQuery(namespace: "Bench", metric: metric, dimensions: [.init(name: "Service", value: "s\(index)")],
                            stat: Statistic("Sum")!, period: period)
            }
            return Policy(
                name: "generated-\(index)", mode: .enforce,
                metrics: [NamedMetric(name: "errors", query: query("Errors")), NamedMetric(name: "requests", query: query("Requests"))],
                condition: try! ExpressionParser.parseCondition(
                    "fill(errors, 0) / requests > 0.01 and avg_over(requests, \(15 * period.seconds / 60)m) > 100",
                    metrics: ["errors", "requests"], period: period),
                window: BreachWindow(required: 3, of: 3), missingData: .notBreaching, period: period,
                target: .ecsService(cluster: "bench", service: "s\(index)"),
                action: .ecsScale(.by(1), bounds: CountBounds(min: nil, max: 10)),
                guardrails: Guardrails(cooldown: .minutes(10), maxActions: Budget(count: 3, window: .hours(1))))
        }
    }
}
