import ReflexCore
import Yams

/// Reads the policies of one YAML file. Each policy is validated on its own, so one bad policy
/// does not hide the errors of the next.
public enum PolicyParser {
    static let policyKeys = ["name", "description", "runbook", "mode", "metrics", "condition", "resolve", "for",
                             "datapoints", "missing_data", "settle", "when", "target", "action", "guardrails", "notify", "verify_within",
                             "approval_expires"]

    /// The policies in `text` (the contents of `file`) and the errors found, at most one per policy.
    public static func parse(_ text: String, file: String) -> (policies: [PolicyDefinition], errors: [PolicyFileError]) {
        let reader = NodeReader(file: file)
        let items: [Node]
        do {
            guard let root = try YAMLDocument.root(of: text, file: file) else {
                return ([], [reader.error(nil, "the file is empty; expected 'policies:' with a list of policies")])
            }
            let top = try reader.mapping(root, "a policy file", allowed: ["policies"])
            items = try reader.sequence(try top.required("policies", in: "a policy file", reader: reader), "'policies'")
        } catch {
            return ([], [error])
        }
        let lines = LineIndex(text)
        var policies: [PolicyDefinition] = []
        var errors: [PolicyFileError] = []
        for (index, item) in items.enumerated() {
            do {
                let policy = try parsePolicy(item, reader: reader)
                let first = (item.mark?.line ?? 1) - 1
                let end = index + 1 < items.count ? (items[index + 1].mark?.line ?? lines.count + 1) - 1 : lines.count
                policies.append(PolicyDefinition(policy: policy, file: file, line: first + 1, text: lines.text(of: first..<end)))
            } catch {
                errors.append(error)
            }
        }
        return (policies, errors)
    }

    static func parsePolicy(_ node: Node, reader base: NodeReader) throws(PolicyFileError) -> Policy {
        var reader = base
        // Name the policy in errors from the start, even when its other keys are wrong.
        if case let .mapping(mapping) = node, let name = mapping.first(where: { $0.key.scalar?.string == "name" })?.value.scalar?.string {
            reader.policy = name
        }
        let fields = try reader.mapping(node, "a policy", allowed: policyKeys)
        let nameNode = try fields.required("name", in: "a policy", reader: reader)
        let name = try reader.string(nameNode, "'name'")
        guard !name.isEmpty, name.utf8.allSatisfy({ (UInt8(ascii: "a")...UInt8(ascii: "z")).contains($0) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) || $0 == UInt8(ascii: "-") }) else {
            throw reader.error(nameNode, "'name' must use only a-z, 0-9 and '-', found '\(name)'")
        }

        let metricsNode = try fields.required("metrics", in: "a policy", reader: reader)
        let metrics = try MetricsParser.parse(metricsNode, reader: reader)
        let period = metrics[0].query.period
        let names = Set(metrics.map(\.name))

        let conditionNode = try fields.required("condition", in: "a policy", reader: reader)
        let condition = try expression(conditionNode, "'condition'", metrics: names, period: period, reader: reader)
        let resolve = try fields["resolve"].map { (node: Node) throws(PolicyFileError) in
            try expression(node, "'resolve'", metrics: names, period: period, reader: reader)
        }
        let window = try breachWindow(fields, period: period, reader: reader)
        let (target, selector) = try TargetParser.parse(try fields.required("target", in: "a policy", reader: reader), reader: reader)
        try MetricsParser.checkVariables(metricsNode, allowed: selector.map { $0.kind.templateVariables }, reader: reader)
        let action = try fields["action"].map { (node: Node) throws(PolicyFileError) in
            try ActionParser.parse(node, target: target, reader: reader)
        }
        return Policy(
            name: name,
            description: try fields["description"].map { (node: Node) throws(PolicyFileError) in try reader.string(node, "'description'") },
            runbook: try fields["runbook"].map { (node: Node) throws(PolicyFileError) in try reader.string(node, "'runbook'") },
            mode: try fields["mode"].map { (node: Node) throws(PolicyFileError) in try reader.choice(node, "'mode'", PolicyMode.self) } ?? .dryRun,
            metrics: metrics, condition: condition, resolve: resolve, window: window,
            missingData: try fields["missing_data"].map { (node: Node) throws(PolicyFileError) in
                try reader.choice(node, "'missing_data'", MissingDataMode.self)
            } ?? .missing,
            period: period,
            settleDelay: try fields["settle"].map { (node: Node) throws(PolicyFileError) in try reader.duration(node, "'settle'") },
            gates: try gates(fields["when"], target: target, reader: reader),
            target: target, selector: selector, action: action,
            guardrails: try guardrails(fields["guardrails"], reader: reader),
            notify: try fields["notify"].map { (node: Node) throws(PolicyFileError) in try reader.stringList(node, "'notify'") } ?? [],
            verifyWithin: try fields["verify_within"].map { (node: Node) throws(PolicyFileError) in try reader.duration(node, "'verify_within'") },
            approvalExpires: try fields["approval_expires"].map { (node: Node) throws(PolicyFileError) in
                try reader.duration(node, "'approval_expires'")
            } ?? .minutes(15))
    }

    private static func expression(_ node: Node, _ what: String, metrics: Set<String>, period: TimeSpan,
                                   reader: NodeReader) throws(PolicyFileError) -> Expression {
        let text = try reader.nonEmptyString(node, what)
        do {
            return try ExpressionParser.parseCondition(text, metrics: metrics, period: period)
        } catch {
            throw reader.error(at: node, offset: error.offset, "in \(what): \(error.message)")
        }
    }

    private static func breachWindow(_ fields: MappingReader, period: TimeSpan, reader: NodeReader) throws(PolicyFileError) -> BreachWindow {
        if let forNode = fields["for"] {
            if let datapoints = fields.keyNode("datapoints") {
                throw reader.error(datapoints, "give either 'for' or 'datapoints', not both")
            }
            let span = try reader.duration(forNode, "'for'")
            guard span.seconds % period.seconds == 0 else {
                throw reader.error(forNode, "'for: \(span)' is not a whole number of periods (\(period))")
            }
            let periods = span.seconds / period.seconds
            guard periods <= BreachWindow.largest else {
                throw reader.error(forNode, "'for: \(span)' spans \(periods) periods; at most \(BreachWindow.largest)")
            }
            return BreachWindow(required: periods, of: periods)
        }
        guard let node = fields["datapoints"] else { return BreachWindow(required: 1, of: 1) }
        let words = try reader.string(node, "'datapoints'").split(separator: " ", omittingEmptySubsequences: true)
        guard words.count == 3, words[1] == "of", let required = Int(words[0]), let periods = Int(words[2]) else {
            throw reader.error(node, "'datapoints' must read 'M of N', e.g. '3 of 5'")
        }
        guard required >= 1, periods >= required, periods <= BreachWindow.largest else {
            throw reader.error(node, "'datapoints: \(required) of \(periods)' needs 1 <= M <= N <= \(BreachWindow.largest)")
        }
        return BreachWindow(required: required, of: periods)
    }

    private static func gates(_ node: Node?, target: Target, reader: NodeReader) throws(PolicyFileError) -> [DeploymentGate] {
        guard let node else { return [] }
        let fields = try reader.mapping(node, "'when'", allowed: ["deployed_within", "not_deployed_within"])
        guard target.kind == .ecsService else {
            throw reader.error(node, "'when' gates read ECS deployments and need an ecs_service target")
        }
        var gates: [DeploymentGate] = []
        if let within = fields["deployed_within"] { gates.append(.deployedWithin(try reader.duration(within, "'deployed_within'"))) }
        if let notWithin = fields["not_deployed_within"] {
            gates.append(.notDeployedWithin(try reader.duration(notWithin, "'not_deployed_within'")))
        }
        return gates
    }

    private static func guardrails(_ node: Node?, reader: NodeReader) throws(PolicyFileError) -> Guardrails {
        guard let node else { return Guardrails() }
        let fields = try reader.mapping(node, "'guardrails'", allowed: ["cooldown", "max_actions", "max_actions_per_target"])
        let cooldown = try fields["cooldown"].map { (node: Node) throws(PolicyFileError) in try reader.duration(node, "'cooldown'") }
        func budget(_ key: String) throws(PolicyFileError) -> Budget? {
            try fields[key].map { (node: Node) throws(PolicyFileError) -> Budget in
                let text = try reader.string(node, "'\(key)'")
                guard let budget = Budget(parsing: text) else {
                    throw reader.error(node, "'\(key)' must read 'N per D', e.g. '2 per 24h', found '\(text)'")
                }
                return budget
            }
        }
        return Guardrails(cooldown: cooldown, maxActions: try budget("max_actions"), maxActionsPerTarget: try budget("max_actions_per_target"))
    }
}
