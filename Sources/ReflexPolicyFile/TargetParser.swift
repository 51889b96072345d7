import ReflexCore
import Yams

/// Reads a policy's `target:`, exactly one of `ecs_service` or `dynamodb_table`: either one
/// named resource (`{ name: cart }`, `{ cluster: c, service: s }`) or a fleet selector
/// (`{ tags: {...}, name: "cart-*", exclude: [...] }`).
enum TargetParser {
    /// The target, and the selector when the target is a fleet.
    static func parse(_ node: Node, reader: NodeReader) throws(PolicyFileError) -> (target: Target, selector: TargetSelector?) {
        let fields = try reader.mapping(node, "'target'", allowed: TargetKind.allCases.map(\.rawValue))
        guard fields.keys.count == 1, let key = fields.keys.first, let kind = TargetKind(rawValue: key), let body = fields[key] else {
            throw reader.error(node, "'target' needs exactly one of ecs_service or dynamodb_table")
        }
        switch kind {
        case .ecsService:
            let service = try reader.mapping(body, "'ecs_service'", allowed: ["cluster", "service", "name", "tags", "exclude"])
            let cluster = try reader.nonEmptyString(try service.required("cluster", in: "'ecs_service'", reader: reader), "'cluster'")
            if let named = service["service"] {
                if let selectorKey = ["name", "tags", "exclude"].compactMap({ service.keyNode($0) }).first {
                    throw reader.error(selectorKey, "give either 'service' (one service) or a selector ('name', 'tags', 'exclude'), not both")
                }
                return (.ecsService(cluster: cluster, service: try reader.nonEmptyString(named, "'service'")), nil)
            }
            guard service["name"] != nil || service["tags"] != nil else {
                throw reader.error(body, "'ecs_service' needs 'service' (one service) or a selector: 'name' (a glob) and/or 'tags'")
            }
            let selector = try selector(.ecsService, cluster: cluster, service, reader: reader)
            return (selector.templateTarget, selector)
        case .dynamoDBTable:
            let table = try reader.mapping(body, "'dynamodb_table'", allowed: ["name", "tags", "exclude"])
            let nameNode = table["name"]
            let name = try nameNode.map { (node: Node) throws(PolicyFileError) in try reader.nonEmptyString(node, "'name'") }
            // A plain name without tags is the one table of that name, as before fleets.
            if let name, !name.contains("*"), !name.contains("?"), table["tags"] == nil, table["exclude"] == nil {
                return (.dynamoDBTable(name: name), nil)
            }
            guard name != nil || table["tags"] != nil else {
                throw reader.error(body, "'dynamodb_table' needs 'name' (a table, or a glob) and/or 'tags'")
            }
            let selector = try selector(.dynamoDBTable, cluster: nil, table, reader: reader)
            return (selector.templateTarget, selector)
        }
    }

    private static func selector(_ kind: TargetKind, cluster: String?, _ fields: MappingReader,
                                 reader: NodeReader) throws(PolicyFileError) -> TargetSelector {
        var tags: [String: String] = [:]
        if let tagsNode = fields["tags"] {
            guard case let .mapping(mapping) = tagsNode, !mapping.isEmpty else {
                throw reader.error(tagsNode, "'tags' must map tag keys to values, e.g. { team: cart }")
            }
            for (key, value) in mapping {
                tags[try reader.nonEmptyString(key, "a tag key")] = try reader.string(value, "a tag value")
            }
        }
        let name = try fields["name"].map { (node: Node) throws(PolicyFileError) in Glob(try reader.nonEmptyString(node, "'name'")) }
        let exclude = try fields["exclude"].map { (node: Node) throws(PolicyFileError) in try reader.stringList(node, "'exclude'") } ?? []
        return TargetSelector(kind: kind, cluster: cluster, tags: tags, name: name, exclude: Set(exclude))
    }
}
