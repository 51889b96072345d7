import Foundation
import ReflexCore
import Yams

/// A parsed policy test file: which policy files it tests and its test cases.
public struct PolicyTestFile: Sendable {
    /// The test file's path.
    public let file: String
    /// The policy files under test, resolved against the test file's directory.
    public let policyFiles: [String]
    /// The tests, with the line each starts on.
    public let tests: [(line: Int, test: PolicyTestCase)]
    /// Where each test's policy-dependent parts are written, for `check(against:)`.
    let layouts: [PolicyTestLayout]

    static let fileKeys = ["policy_files", "tests"]
    static let testKeys = ["name", "start", "step", "series", "facts", "instances", "safe_mode", "global_max_actions", "expect"]
    static let factKeys = ["deployed_at", "desired_count", "revision", "rollback_revision", "scaling_min", "scaling_max",
                           "read_capacity", "write_capacity", "on_demand"]
    static let expectKeys = ["at", "policy", "instance", "evaluated", "state", "action", "held_by", "actions_so_far", "target", "change"]
    static let targetKeys = factKeys.filter { $0 != "deployed_at" && $0 != "rollback_revision" }
    /// Where tests start when they do not say.
    static let defaultStart = Date(timeIntervalSince1970: 1_767_225_600) // 2026-01-01T00:00:00Z

    /// Parses the test file `file` with contents `text`.
    public static func parse(_ text: String, file: String) throws(PolicyFileError) -> PolicyTestFile {
        let reader = NodeReader(file: file)
        guard let root = try YAMLDocument.root(of: text, file: file) else {
            throw reader.error(nil, "the test file is empty; expected 'policy_files:' and 'tests:'")
        }
        if let mismatch = FileKindMismatch.policyFileAsTest(root, file: file) { throw mismatch }
        let top = try reader.mapping(root, "a policy test file", allowed: fileKeys)
        let directory = (file as NSString).deletingLastPathComponent
        let policyFiles = try reader.stringList(try top.required("policy_files", in: "a policy test file", reader: reader), "'policy_files'")
            .map { $0.hasPrefix("/") ? $0 : (directory as NSString).appendingPathComponent($0) }
        var tests: [(Int, PolicyTestCase)] = []
        var layouts: [PolicyTestLayout] = []
        for node in try reader.sequence(try top.required("tests", in: "a policy test file", reader: reader), "'tests'") {
            let (test, layout) = try parseTest(node, reader: reader)
            tests.append((node.mark?.line ?? 1, test))
            layouts.append(layout)
        }
        return PolicyTestFile(file: file, policyFiles: policyFiles, tests: tests, layouts: layouts)
    }

    private static func parseTest(_ node: Node, reader: NodeReader) throws(PolicyFileError) -> (PolicyTestCase, PolicyTestLayout) {
        let fields = try reader.mapping(node, "a test", allowed: testKeys)
        let name = try reader.nonEmptyString(try fields.required("name", in: "a test", reader: reader), "'name'")
        var start = defaultStart
        if let startNode = fields["start"] {
            let text = try reader.string(startNode, "'start'")
            guard let date = try? Date(text, strategy: .iso8601) else {
                throw reader.error(startNode, "'start' must be an RFC 3339 time such as 2026-01-01T00:00:00Z")
            }
            start = date
        }
        let series = try fields["series"].map { (node: Node) throws(PolicyFileError) in try parseSeries(node, reader: reader) } ?? [:]
        let (deployedAt, snapshot) = try parseFacts(fields["facts"], reader: reader)
        var layout = PolicyTestLayout(test: name, at: node, fields: fields)
        let instances = try fields["instances"].map { (node: Node) throws(PolicyFileError) in
            try parseInstances(node, layout: &layout, reader: reader)
        }
        var expectations: [PolicyExpectation] = []
        for item in try reader.sequence(try fields.required("expect", in: "a test", reader: reader), "'expect'") {
            expectations.append(try parseExpectation(item, instances: instances, layout: &layout, reader: reader))
        }
        let test = PolicyTestCase(
            name: name, start: start,
            step: try fields["step"].map { (node: Node) throws(PolicyFileError) in try reader.duration(node, "'step'") },
            series: series, deployedAt: deployedAt, snapshot: snapshot, instances: instances,
            safeMode: try fields["safe_mode"].map { (node: Node) throws(PolicyFileError) in try reader.boolean(node, "'safe_mode'") } ?? false,
            globalBudget: try fields["global_max_actions"].map { (node: Node) throws(PolicyFileError) -> Budget in
                let text = try reader.string(node, "'global_max_actions'")
                guard let budget = Budget(parsing: text) else { throw reader.error(node, "'global_max_actions' must read 'N per D'") }
                return budget
            },
            expectations: expectations)
        return (test, layout)
    }

    /// A `series:` mapping of metric names to values in `SeriesNotation`.
    static func parseSeries(_ node: Node, reader: NodeReader) throws(PolicyFileError) -> [String: [Double?]] {
        guard case let .mapping(mapping) = node else { throw reader.error(node, "'series' must map metric names to values") }
        var series: [String: [Double?]] = [:]
        for (key, value) in mapping {
            let name = try reader.nonEmptyString(key, "a metric name")
            let text = try reader.string(value, "a series")
            do throws(SeriesNotation.Error) {
                series[name] = try SeriesNotation.parse(text)
            } catch {
                throw reader.error(at: value, offset: error.offset, error.message)
            }
        }
        return series
    }

    /// A `facts:` mapping, or none: the deployment time and the target's state.
    static func parseFacts(_ node: Node?, reader: NodeReader) throws(PolicyFileError) -> (deployedAt: TimeSpan?, snapshot: TargetSnapshot) {
        guard let node else { return (nil, TargetSnapshot()) }
        let facts = try reader.mapping(node, "'facts'", allowed: factKeys)
        let deployedAt = try facts["deployed_at"].map { (node: Node) throws(PolicyFileError) in
            try reader.duration(node, "'deployed_at'", allowNegative: true)
        }
        return (deployedAt, try parseSnapshot(facts, reader: reader))
    }

    private static func parseSnapshot(_ fields: MappingReader, reader: NodeReader) throws(PolicyFileError) -> TargetSnapshot {
        func count(_ key: String) throws(PolicyFileError) -> Int? {
            try fields[key].map { (node: Node) throws(PolicyFileError) in try reader.integer(node, "'\(key)'") }
        }
        return TargetSnapshot(
            desiredCount: try count("desired_count"), revision: try count("revision"), rollbackRevision: try count("rollback_revision"),
            scalingMin: try count("scaling_min"), scalingMax: try count("scaling_max"),
            readCapacity: try count("read_capacity"), writeCapacity: try count("write_capacity"),
            onDemand: try fields["on_demand"].map { (node: Node) throws(PolicyFileError) in try reader.boolean(node, "'on_demand'") })
    }

    private static func parseExpectation(_ node: Node, instances: [PolicyTestInstance]?, layout: inout PolicyTestLayout,
                                         reader: NodeReader) throws(PolicyFileError) -> PolicyExpectation {
        let fields = try reader.mapping(node, "an expectation", allowed: expectKeys)
        let policy = try fields["policy"].map { (node: Node) throws(PolicyFileError) in try reader.string(node, "'policy'") }
        let instance = try parseInstanceReference(fields, instances: instances, reader: reader)
        if instance != nil, let key = fields.keyNode("instance") { layout.instanceReferences.append((policy, SourcePosition(key))) }
        let evaluated = try parseEvaluated(fields, reader: reader)
        var heldBy: String?
        if let heldNode = fields["held_by"] {
            let code = try reader.string(heldNode, "'held_by'")
            guard HoldReason.allCodes.contains(code) else {
                throw reader.error(heldNode, "'held_by' must be one of \(HoldReason.allCodes.joined(separator: ", ")), found '\(code)'")
            }
            heldBy = code
        }
        return PolicyExpectation(
            at: try reader.duration(try fields.required("at", in: "an expectation", reader: reader), "'at'", allowNegative: true),
            policy: policy, instance: instance, evaluated: evaluated,
            state: try fields["state"].map { (node: Node) throws(PolicyFileError) in try reader.choice(node, "'state'", PolicyStatus.self) },
            outcome: try fields["action"].map { (node: Node) throws(PolicyFileError) in
                try reader.choice(node, "'action'", PolicyExpectation.Outcome.self)
            },
            heldBy: heldBy,
            actionsSoFar: try fields["actions_so_far"].map { (node: Node) throws(PolicyFileError) in try reader.integer(node, "'actions_so_far'") },
            target: try fields["target"].map { (node: Node) throws(PolicyFileError) in
                try parseSnapshot(try reader.mapping(node, "'target'", allowed: targetKeys), reader: reader)
            },
            // The same fields as `target`, for what the planned change would set.
            change: try fields["change"].map { (node: Node) throws(PolicyFileError) in
                try parseSnapshot(try reader.mapping(node, "'change'", allowed: targetKeys), reader: reader)
            },
            line: node.mark?.line ?? 1)
    }
}
