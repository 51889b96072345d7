import ReflexCore

/// The names a test gives its series and facts, checked against the policies under test: a
/// misspelt series would otherwise be data no policy reads, and the test would pass or fail
/// for a reason it does not show.
extension PolicyTestFile {
    /// The facts that describe a target of `kind`, in the order of `factKeys`.
    static func facts(of kind: TargetKind) -> [String] {
        switch kind {
        case .ecsService: ["deployed_at", "desired_count", "revision", "rollback_revision", "scaling_min", "scaling_max"]
        case .dynamoDBTable: ["read_capacity", "write_capacity", "on_demand"]
        }
    }

    /// Errors for the series and facts of one test that `policies` (the single-target ones for
    /// the test's own, the fleets for its instances') do not have.
    func nameErrors(of layout: PolicyTestLayout, singles: [Policy], fleets: [Policy]) -> [PolicyFileError] {
        var errors: [PolicyFileError] = []
        for (policies, series, facts) in [(singles, layout.series, layout.facts), (fleets, layout.instanceSeries, layout.instanceFacts)]
        where !policies.isEmpty {
            let subject = policies.count == 1 ? "policy '\(policies[0].name)'" : "the \(policies.count) policies under test"
            let their = policies.count == 1 ? "its" : "their"
            var metrics: [String] = []
            for name in policies.flatMap({ $0.metrics.map(\.name) }) where !metrics.contains(name) { metrics.append(name) }
            for (name, position) in series where !metrics.contains(name) {
                errors.append(error(at: position, "series '\(name)' is not a metric of \(subject)"
                    + NearestName.hint(for: name, among: metrics, listedAs: "\(their) metrics are")))
            }
            let kinds = Set(policies.map(\.target.kind))
            let known = Self.factKeys.filter { fact in kinds.contains { Self.facts(of: $0).contains(fact) } }
            let targets = TargetKind.allCases.filter(kinds.contains).map(\.rawValue).joined(separator: " and ")
            for (name, position) in facts where !known.contains(name) {
                errors.append(error(at: position, "fact '\(name)' does not describe the target of \(subject) (\(targets))"
                    + NearestName.hint(for: name, among: known, listedAs: "\(their) facts are")))
            }
        }
        return errors
    }

    private func error(at position: SourcePosition, _ message: String) -> PolicyFileError {
        PolicyFileError(file: file, line: position.line, column: position.column, message: message)
    }
}
