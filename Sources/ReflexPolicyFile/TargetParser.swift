import ReflexCore
import Yams

/// Reads a policy's `target:`, exactly one of `ecs_service` or `dynamodb_table`.
enum TargetParser {
    static func parse(_ node: Node, reader: NodeReader) throws(PolicyFileError) -> Target {
        let fields = try reader.mapping(node, "'target'", allowed: TargetKind.allCases.map(\.rawValue))
        guard fields.keys.count == 1, let key = fields.keys.first, let kind = TargetKind(rawValue: key), let body = fields[key] else {
            throw reader.error(node, "'target' needs exactly one of ecs_service or dynamodb_table")
        }
        switch kind {
        case .ecsService:
            let service = try reader.mapping(body, "'ecs_service'", allowed: ["cluster", "service"])
            return .ecsService(
                cluster: try reader.nonEmptyString(try service.required("cluster", in: "'ecs_service'", reader: reader), "'cluster'"),
                service: try reader.nonEmptyString(try service.required("service", in: "'ecs_service'", reader: reader), "'service'"))
        case .dynamoDBTable:
            let table = try reader.mapping(body, "'dynamodb_table'", allowed: ["name"])
            return .dynamoDBTable(name: try reader.nonEmptyString(try table.required("name", in: "'dynamodb_table'", reader: reader), "'name'"))
        }
    }
}
