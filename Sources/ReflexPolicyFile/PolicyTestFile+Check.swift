import ReflexCore

extension PolicyTestFile {
    /// What the tests get wrong about the policies under test, each at its `file:line:col`: a
    /// fleet policy tested without `instances:`, `instances:` where no policy is a fleet, test
    /// `series`/`facts` that no policy would read (a misspelt series, a fact about another kind of
    /// target), and an `instance` for a single-target policy.
    public func check(against policies: [Policy]) -> [PolicyFileError] {
        let fleets = policies.filter(\.isFleet)
        let singles = policies.filter { !$0.isFleet }
        var errors: [PolicyFileError] = []
        func error(_ position: SourcePosition, policy: String? = nil, _ message: String) {
            errors.append(PolicyFileError(file: file, line: position.line, column: position.column, policy: policy, message: message))
        }
        for layout in layouts {
            errors += nameErrors(of: layout, singles: singles, fleets: fleets)
            guard let instancesKey = layout.keys["instances"] else {
                if let fleet = fleets.first, let selector = fleet.selector {
                    error(layout.position, policy: fleet.name,
                          "test '\(layout.test)' needs 'instances:': the policy covers a fleet (\(selector)), and is tested on the "
                              + "resources listed there, each with its own 'name', 'tags', 'series' and 'facts'")
                }
                continue
            }
            guard !fleets.isEmpty else {
                error(instancesKey, policy: singles.count == 1 ? singles[0].name : nil,
                      "'instances:' is for fleet policies, and every policy under test covers one target; give the test 'series' and 'facts' instead")
                continue
            }
            if singles.isEmpty {
                for key in ["series", "facts"] {
                    guard let position = layout.keys[key] else { continue }
                    error(position, "the test's own '\(key)' is for policies over one target, and every policy under test is a fleet policy; "
                        + "give each instance its own '\(key)'")
                }
            }
            if !fleets.contains(where: { $0.selector?.kind == .ecsService }) {
                for (key, position) in layout.serviceVariables {
                    error(position, "'\(key)' is a variable of ECS services, and no fleet policy under test covers ECS services")
                }
            }
            for (name, position) in layout.instanceReferences {
                guard let name, let policy = policies.first(where: { $0.name == name }), !policy.isFleet else { continue }
                error(position, policy: name, "the policy covers one target, so its expectations name no 'instance'")
            }
        }
        return errors
    }
}
