import Yams

/// A line and column in a file, kept after parsing for checks that need more than the file.
struct SourcePosition: Hashable, Sendable {
    let line: Int
    let column: Int

    init(_ node: Node) {
        line = node.mark?.line ?? 1
        column = node.mark?.column ?? 1
    }
}

/// Where the parts of one test that only make sense against the policies under test are
/// written: whether a test needs `instances:` depends on whether a policy is a fleet, which
/// the test file alone does not say.
struct PolicyTestLayout: Sendable {
    /// The test's name.
    let test: String
    /// Where the test starts.
    let position: SourcePosition
    /// The test's own `instances`, `series` and `facts` keys, where given.
    let keys: [String: SourcePosition]
    /// Instance keys that only ECS services have (`load_balancer`, `target_group`).
    var serviceVariables: [(key: String, position: SourcePosition)] = []
    /// Each expectation's `instance` key, with the policy the expectation names, if any.
    var instanceReferences: [(policy: String?, position: SourcePosition)] = []
    /// The names under the test's own `series` and `facts`, where written.
    let series: [(name: String, position: SourcePosition)]
    let facts: [(name: String, position: SourcePosition)]
    /// The same for the test's instances, all together: every instance is one of the fleets'.
    var instanceSeries: [(name: String, position: SourcePosition)] = []
    var instanceFacts: [(name: String, position: SourcePosition)] = []

    init(test: String, at node: Node, fields: MappingReader) {
        self.test = test
        self.position = SourcePosition(node)
        var keys: [String: SourcePosition] = [:]
        for key in ["instances", "series", "facts"] {
            if let keyNode = fields.keyNode(key) { keys[key] = SourcePosition(keyNode) }
        }
        self.keys = keys
        series = Self.keys(of: fields["series"])
        facts = Self.keys(of: fields["facts"])
    }

    /// The keys of a mapping, each where it is written.
    static func keys(of node: Node?) -> [(name: String, position: SourcePosition)] {
        guard case let .mapping(mapping)? = node else { return [] }
        return mapping.keys.compactMap { key in key.scalar.map { ($0.string, SourcePosition(key)) } }
    }
}
