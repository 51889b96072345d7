import Foundation
import ReflexCore

/// Builders for the pure core's tests: a minute-period policy over metrics `a` and `b`, and
/// series that start at a fixed, period-aligned moment.
enum Fixtures {
    static let start = Date(timeIntervalSince1970: 1_767_225_600) // 2026-01-01T00:00:00Z
    static let minute = TimeSpan(seconds: 60)

    static func query(_ metric: String) -> MetricQuery {
        MetricQuery(namespace: "Test", metric: metric, dimensions: [], stat: Statistic("Sum")!, period: minute)
    }

    static func policy(
        _ condition: String, resolve: String? = nil, window: BreachWindow = BreachWindow(required: 1, of: 1),
        missing: MissingDataMode = .missing, mode: PolicyMode = .enforce, name: String = "p",
        target: Target = .ecsService(cluster: "c", service: "s"), action: Action? = .ecsRedeploy,
        guardrails: Guardrails = Guardrails(), gates: [DeploymentGate] = [], settle: TimeSpan? = nil
    ) -> Policy {
        let names: Set<String> = ["a", "b"]
        return Policy(
            name: name, mode: mode,
            metrics: [NamedMetric(name: "a", query: query("A")), NamedMetric(name: "b", query: query("B"))],
            condition: try! ExpressionParser.parseCondition(condition, metrics: names, period: minute),
            resolve: resolve.map { try! ExpressionParser.parseCondition($0, metrics: names, period: minute) },
            window: window, missingData: missing, period: minute, settleDelay: settle, gates: gates,
            target: target, action: action, guardrails: guardrails)
    }

    /// A minute series from `start`; nil is a missing minute.
    static func series(_ values: [Double?]) -> MetricSeries {
        MetricSeries(period: minute, start: start, values: values)
    }

    /// `start` plus `minutes`.
    static func at(_ minutes: Int) -> Date { start.addingTimeInterval(Double(minutes * 60)) }
}
