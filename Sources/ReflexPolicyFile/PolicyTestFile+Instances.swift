import ReflexCore
import Yams

/// The fleet parts of a test: the resources under `instances:`, and the expectations' `instance`
/// and `evaluated`.
extension PolicyTestFile {
    static let instanceKeys = ["name", "tags", "series", "facts", "load_balancer", "target_group"]
    /// What an expectation checks of an evaluation, so none of it can sit beside `evaluated: false`.
    static let evaluationKeys = ["state", "action", "held_by", "actions_so_far", "target", "change"]

    /// `instances:`, a list of resources each with its own name, tags, series and facts.
    static func parseInstances(_ node: Node, layout: inout PolicyTestLayout, reader: NodeReader) throws(PolicyFileError) -> [PolicyTestInstance] {
        let items = try reader.sequence(node, "'instances'")
        guard !items.isEmpty else { throw reader.error(node, "'instances' must list at least one resource") }
        var instances: [PolicyTestInstance] = []
        for item in items {
            let fields = try reader.mapping(item, "an instance", allowed: instanceKeys)
            let nameNode = try fields.required("name", in: "an instance", reader: reader)
            let name = try reader.nonEmptyString(nameNode, "'name'")
            // Expectations find an instance by name, so a second one would be unreachable.
            guard !instances.contains(where: { $0.name == name }) else {
                throw reader.error(nameNode, "instance '\(name)' is listed twice in this test")
            }
            var tags: [String: String] = [:]
            if let tagsNode = fields["tags"] {
                guard case let .mapping(mapping) = tagsNode else {
                    throw reader.error(tagsNode, "'tags' must map tag keys to values, e.g. { team: cart }")
                }
                for (key, value) in mapping { tags[try reader.nonEmptyString(key, "a tag key")] = try reader.string(value, "a tag value") }
            }
            var variables: [String: String] = [:]
            for key in ["load_balancer", "target_group"] {
                guard let value = fields[key], let keyNode = fields.keyNode(key) else { continue }
                variables[key] = try reader.nonEmptyString(value, "'\(key)'")
                layout.serviceVariables.append((key, SourcePosition(keyNode)))
            }
            let (deployedAt, snapshot) = try parseFacts(fields["facts"], reader: reader)
            layout.instanceSeries += PolicyTestLayout.keys(of: fields["series"])
            layout.instanceFacts += PolicyTestLayout.keys(of: fields["facts"])
            instances.append(PolicyTestInstance(
                name: name, tags: tags, variables: variables,
                series: try fields["series"].map { (node: Node) throws(PolicyFileError) in try parseSeries(node, reader: reader) } ?? [:],
                deployedAt: deployedAt, snapshot: snapshot, line: item.mark?.line ?? 1))
        }
        return instances
    }

    /// An expectation's `instance`: one of the test's instances.
    static func parseInstanceReference(_ fields: MappingReader, instances: [PolicyTestInstance]?,
                                       reader: NodeReader) throws(PolicyFileError) -> String? {
        guard let node = fields["instance"] else { return nil }
        let name = try reader.nonEmptyString(node, "'instance'")
        guard let instances else {
            throw reader.error(fields.keyNode("instance"), "'instance' names one of the test's 'instances:', and this test lists none")
        }
        guard instances.contains(where: { $0.name == name }) else {
            let names = instances.map(\.name)
            let hint = NearestName.didYouMean(name, among: names)
            throw reader.error(node, "no instance '\(name)' in this test; it lists \(names.joined(separator: ", "))\(hint)")
        }
        return name
    }

    /// An expectation's `evaluated`; `false` checks nothing else.
    static func parseEvaluated(_ fields: MappingReader, reader: NodeReader) throws(PolicyFileError) -> Bool? {
        guard let node = fields["evaluated"] else { return nil }
        let evaluated = try reader.boolean(node, "'evaluated'")
        if !evaluated, let other = evaluationKeys.first(where: { fields[$0] != nil }) {
            throw reader.error(fields.keyNode(other), "'\(other)' cannot be checked beside 'evaluated: false', which expects no evaluation")
        }
        return evaluated
    }
}
