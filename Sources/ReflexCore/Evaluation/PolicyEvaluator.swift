import Foundation

/// Judges a policy against its metrics at a moment in time. Pure: the same inputs always give
/// the same evaluation, and time is a parameter.
public enum PolicyEvaluator {
    /// Evaluates `policy` at `now`, starting from `previous`, on `series` keyed by the policy's
    /// metric names (or the failure that prevented reading them).
    public static func evaluate(
        _ policy: Policy, series metrics: Result<[String: MetricSeries], MetricsFailure>, previous: PolicyStatus, at now: Date
    ) -> Evaluation {
        let grid = PeriodGrid(period: policy.period)
        let newest = grid.newestJudged(at: now, settle: policy.settleDelay)
        func outcome(_ status: PolicyStatus, _ reason: EvaluationReason, _ evidence: Evidence, gateHolds: Bool? = nil) -> Evaluation {
            Evaluation(policy: policy.name, at: now, judgedPeriod: Date(timeIntervalSince1970: Double(newest)),
                       previous: previous, status: status, reason: reason, evidence: evidence, gateHolds: gateHolds)
        }
        let series: [String: MetricSeries]
        switch metrics {
        case let .failure(failure): return outcome(.error, .metricsFailed(failure), .none, gateHolds: policy.gateCondition.map { _ in false })
        case let .success(values): series = values
        }

        let starts = (0..<policy.window.periods).map { newest - $0 * policy.period.seconds }
        let results = starts.map { policy.condition.value(at: $0, series: series, period: policy.period).truth }
        let evidence = makeEvidence(policy, starts: starts, results: results, series: series)
        let (status, reason) = decide(policy, results: results, previous: previous, newest: newest, series: series)
        // A gate that cannot be judged (a missing value) does not hold: fail closed.
        let gateHolds = policy.gateCondition.map { $0.expression.value(at: newest, series: series, period: policy.period).truth == true }
        return outcome(status, reason, evidence, gateHolds: gateHolds)
    }

    /// The state machine: from the per-period results (newest first) to the new state.
    private static func decide(
        _ policy: Policy, results: [Bool?], previous: PolicyStatus, newest: Int, series: [String: MetricSeries]
    ) -> (PolicyStatus, EvaluationReason) {
        let window = policy.window
        let counted = results.map { result -> Bool? in
            guard result == nil else { return result }
            switch policy.missingData {
            case .breaching: return true
            case .notBreaching: return false
            case .missing, .ignore: return nil
            }
        }
        let breaching = counted.filter { $0 == true }.count
        let missing = counted.filter { $0 == nil }.count

        if previous == .firing, let resolve = policy.resolve {
            if resolve.value(at: newest, series: series, period: policy.period).truth == true {
                return (.ok, .resolved)
            }
            if policy.missingData == .missing && missing == window.periods { return (.insufficientData, .noData) }
            return (.firing, .notYetResolved)
        }
        if breaching >= window.required {
            return (.firing, .breached(breaching: breaching, periods: window.periods, required: window.required))
        }
        if breaching + missing < window.required {
            let reason = EvaluationReason.building(breaching: breaching, periods: window.periods, required: window.required)
            if counted.first == true { return (.pending, reason) }
            return (.ok, .clear(breaching: breaching, periods: window.periods, required: window.required))
        }
        if policy.missingData == .missing && missing == window.periods { return (.insufficientData, .noData) }
        // Missing periods leave the outcome open: keep the state, as CloudWatch alarms do.
        let kept: PolicyStatus = previous == .error ? .insufficientData : previous
        return (kept, .undecided(breaching: breaching, missing: missing, periods: window.periods))
    }

    private static func makeEvidence(_ policy: Policy, starts: [Int], results: [Bool?], series: [String: MetricSeries]) -> Evidence {
        let periods = zip(starts, results).map { start, result in
            Evidence.Period(
                start: Date(timeIntervalSince1970: Double(start)),
                values: Dictionary(uniqueKeysWithValues: policy.metrics.map { ($0.name, series[$0.name]?.value(at: start)) }),
                breaching: result)
        }
        guard case let .binary(op, lhs, rhs) = policy.condition, op.isComparison, let newest = starts.first else {
            return Evidence(periods: periods, observed: nil, comparator: nil, threshold: nil)
        }
        return Evidence(
            periods: periods,
            observed: lhs.value(at: newest, series: series, period: policy.period).number,
            comparator: op.rawValue,
            threshold: rhs.value(at: newest, series: series, period: policy.period).number)
    }
}
