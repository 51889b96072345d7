import ReflexCore
import Testing

/// The codes `reflex audit --reason` accepts must be the codes Reflex writes.
struct DecisionReasonsTests {
    @Test func everyEvaluationReasonCodeIsListed() {
        // One of each case (`exhaustive` below makes a new case a compile error until it is here).
        let reasons: [EvaluationReason] = [
            .breached(breaching: 1, periods: 1, required: 1), .building(breaching: 1, periods: 2, required: 2),
            .clear(breaching: 0, periods: 1, required: 1), .resolved, .notYetResolved,
            .undecided(breaching: 0, missing: 1, periods: 1), .noData, .metricsFailed(MetricsFailure("down")),
        ]
        #expect(reasons.map(\.code) == EvaluationReason.allCodes)
        #expect(Set(EvaluationReason.allCodes + HoldReason.allCodes).isSubset(of: DecisionReasons.known))
    }

    /// Stops compiling when `EvaluationReason` gains a case, until the case joins the list above.
    private func exhaustive(_ reason: EvaluationReason) {
        switch reason {
        case .breached, .building, .clear, .resolved, .notYetResolved, .undecided, .noData, .metricsFailed: break
        }
    }
}
