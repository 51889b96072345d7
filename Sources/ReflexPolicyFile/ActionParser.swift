import ReflexCore
import Yams

/// Reads a policy's `action:`, exactly one action kind with its parameters, and checks that it
/// fits the policy's target.
enum ActionParser {
    /// The action in `node`. With `target` nil (the policy's target is itself in error) the
    /// action's own parameters are still checked, but not whether it fits the target.
    static func parse(_ node: Node, target: Target?, reader: NodeReader) throws(PolicyFileError) -> Action {
        let fitting = ActionKind.allCases.filter { target == nil || $0.targetKind == target?.kind }.map(\.rawValue)
        let listing = target.map { "the actions for \(article($0.kind)) \($0.kind.rawValue) target are" } ?? "the actions are"
        if case let .mapping(mapping) = node {
            for key in mapping.keys {
                guard let name = key.scalar?.string, ActionKind(rawValue: name) == nil else { continue }
                throw reader.error(key, "unknown action '\(name)'" + NearestName.hint(for: name, among: fitting, listedAs: listing))
            }
        }
        let fields = try reader.mapping(node, "'action'", allowed: ActionKind.allCases.map(\.rawValue))
        guard fields.keys.count == 1, let key = fields.keys.first, let kind = ActionKind(rawValue: key), let body = fields[key] else {
            throw reader.error(node, "'action' needs exactly one action kind; " + listing + " " + fitting.joined(separator: ", "))
        }
        if let target, kind.targetKind != target.kind {
            throw reader.error(fields.keyNode(key), "action '\(key)' does not fit \(article(target.kind)) \(target.kind.rawValue) target "
                               + "(it acts on \(article(kind.targetKind)) \(kind.targetKind.rawValue)); " + listing + " " + fitting.joined(separator: ", "))
        }
        // `ecs_redeploy:` with nothing after it is an empty scalar; accept it as `{}`.
        let parameters = body.scalar?.string == "" ? Node.mapping(Node.Mapping([])) : body
        switch kind {
        case .ecsRollback:
            let fields = try reader.mapping(parameters, "'ecs_rollback'", allowed: ["to", "wait_stable"])
            return .ecsRollback(
                try fields["to"].map { (node: Node) throws(PolicyFileError) in try reader.choice(node, "'to'", RollbackTarget.self) } ?? .lastKnownGood,
                waitStable: try fields["wait_stable"].map { (node: Node) throws(PolicyFileError) in try reader.duration(node, "'wait_stable'") })
        case .ecsScale:
            let fields = try reader.mapping(parameters, "'ecs_scale'", allowed: ["by", "to", "factor", "min", "max"])
            let given = ["by", "to", "factor"].filter { fields[$0] != nil }
            guard given.count == 1 else { throw reader.error(parameters, "'ecs_scale' needs exactly one of by, to or factor") }
            let change: ScaleChange
            if let by = fields["by"] {
                change = .by(try reader.signedInteger(by, "'by'"))
            } else if let to = fields["to"] {
                change = .to(try reader.integer(to, "'to'"))
            } else {
                change = .factor(try reader.factor(fields["factor"]!, "'factor'"))
            }
            return .ecsScale(change, bounds: try bounds(fields, reader: reader))
        case .ecsRedeploy:
            _ = try reader.mapping(parameters, "'ecs_redeploy'", allowed: [])
            return .ecsRedeploy
        case .dynamoDBCapacity:
            let fields = try reader.mapping(parameters, "'dynamodb_capacity'", allowed: ["read", "write"])
            guard fields["read"] != nil || fields["write"] != nil else {
                throw reader.error(parameters, "'dynamodb_capacity' needs read, write or both")
            }
            return .dynamoDBCapacity(
                read: try fields["read"].map { (node: Node) throws(PolicyFileError) in try capacity(node, "'read'", reader: reader) },
                write: try fields["write"].map { (node: Node) throws(PolicyFileError) in try capacity(node, "'write'", reader: reader) })
        case .dynamoDBOnDemand:
            _ = try reader.mapping(parameters, "'dynamodb_on_demand'", allowed: [])
            return .dynamoDBOnDemand
        case .autoscalingBounds:
            let fields = try reader.mapping(parameters, "'autoscaling_bounds'", allowed: ["min", "max"])
            guard fields["min"] != nil || fields["max"] != nil else {
                throw reader.error(parameters, "'autoscaling_bounds' needs min, max or both")
            }
            return .autoscalingBounds(try bounds(fields, reader: reader))
        }
    }

    private static func article(_ kind: TargetKind) -> String {
        kind == .ecsService ? "an" : "a"
    }

    private static func bounds(_ fields: MappingReader, reader: NodeReader) throws(PolicyFileError) -> CountBounds {
        let min = try fields["min"].map { (node: Node) throws(PolicyFileError) in try reader.integer(node, "'min'") }
        let max = try fields["max"].map { (node: Node) throws(PolicyFileError) in try reader.integer(node, "'max'") }
        if let min, let max, min > max {
            throw reader.error(fields["min"], "'min: \(min)' is greater than 'max: \(max)'")
        }
        return CountBounds(min: min, max: max)
    }

    private static func capacity(_ node: Node, _ what: String, reader: NodeReader) throws(PolicyFileError) -> CapacityChange {
        let fields = try reader.mapping(node, what, allowed: ["factor", "to", "by", "max"])
        let given = ["factor", "to", "by"].filter { fields[$0] != nil }
        guard given.count == 1 else { throw reader.error(node, "\(what) needs exactly one of factor, to or by") }
        let amount: CapacityChange.Amount
        // A capacity change is a raise: a factor below one or a negative step would lower it.
        if let factor = fields["factor"] {
            amount = .factor(try reader.factor(factor, "'factor' of a capacity raise", above: 1))
        } else if let to = fields["to"] {
            amount = .to(try reader.integer(to, "'to'", minimum: 1))
        } else {
            amount = .by(try reader.integer(fields["by"]!, "'by' of a capacity raise", minimum: 1))
        }
        let max = try fields["max"].map { (node: Node) throws(PolicyFileError) in try reader.integer(node, "'max'", minimum: 1) }
        if case let .to(value) = amount, let max, value > max {
            throw reader.error(fields["to"], "\(what) 'to: \(value)' is above its 'max: \(max)'")
        }
        return CapacityChange(amount: amount, max: max)
    }
}
