import ReflexCore
import Yams

/// Reads the policies of one YAML file. Each policy is validated on its own, so one bad policy
/// does not hide the errors of the next.
public enum PolicyParser {
    static let policyKeys = ["name", "description", "runbook", "mode", "metrics", "condition", "resolve", "for",
                             "datapoints", "missing_data", "settle", "when", "target", "action", "guardrails", "notify", "verify_within",
                             "approval_expires"] + ScopeParser.keys

    /// The policies in `text` (the contents of `file`) and every error found, in file order.
    /// Account and region names are read in `context` (the daemon config's accounts and region).
    public static func parse(_ text: String, file: String,
                             context: ScopeContext = ScopeContext()) -> (policies: [PolicyDefinition], errors: [PolicyFileError]) {
        let reader = NodeReader(file: file)
        let items: [Node]
        do throws(PolicyFileError) {
            guard let root = try YAMLDocument.root(of: text, file: file) else {
                return ([], [reader.error(nil, "the file is empty; expected 'policies:' with a list of policies")])
            }
            if let mismatch = FileKindMismatch.testFileAsPolicies(root, file: file) { throw mismatch }
            let top = try reader.mapping(root, "a policy file", allowed: ["policies"])
            items = try reader.sequence(try top.required("policies", in: "a policy file", reader: reader), "'policies'")
        } catch {
            return ([], [error])
        }
        let lines = LineIndex(text)
        var policies: [PolicyDefinition] = []
        var errors: [PolicyFileError] = []
        for (index, item) in items.enumerated() {
            let (policy, policyErrors) = parsePolicy(item, context: context, reader: reader)
            errors += policyErrors
            guard let policy else { continue }
            let first = (item.mark?.line ?? 1) - 1
            let end = index + 1 < items.count ? (items[index + 1].mark?.line ?? lines.count + 1) - 1 : lines.count
            policies.append(PolicyDefinition(policy: policy, file: file, line: first + 1, text: lines.text(of: first..<end)))
        }
        // Each policy's fields are read in the order of the model, not of the file.
        return (policies, errors.sorted { ($0.line, $0.column) < ($1.line, $1.column) })
    }

    /// The policy in `node` and every error in it; the policy is nil when there is any error.
    static func parsePolicy(_ node: Node, context: ScopeContext, reader base: NodeReader) -> (Policy?, [PolicyFileError]) {
        var reader = base
        // Name the policy in errors from the start, even when its other keys are wrong.
        if case let .mapping(mapping) = node, let name = mapping.first(where: { $0.key.scalar?.string == "name" })?.value.scalar?.string {
            reader.policy = name
        }
        var unknownKeys: [PolicyFileError] = []
        let mapping: MappingReader
        do {
            mapping = try reader.mapping(node, "a policy", allowed: policyKeys, unknownKeys: &unknownKeys)
        } catch {
            return (nil, [error])
        }
        var fields = PolicyFields(fields: mapping, reader: reader, errors: unknownKeys)
        let name = fields.read("name", required: true) { (node: Node) throws(PolicyFileError) in try policyName(node, reader: reader) }

        let metricsNode = fields.node("metrics", required: true)
        let metrics = metricsNode.flatMap { MetricsParser.parse($0, reader: reader, errors: &fields.errors) }
        let names = metricsNode.map(MetricsParser.names(in:)) ?? []
        // Expressions and windows are checked against the period: without one, only the
        // metrics' own errors are reported.
        let period = metrics?.first?.query.period
        let condition = fields.read("condition", required: true) { (node: Node) throws(PolicyFileError) in
            try period.map { (period: TimeSpan) throws(PolicyFileError) in try expression(node, "'condition'", metrics: names, period: period, reader: reader) }
        }
        let resolve = fields.read("resolve") { (node: Node) throws(PolicyFileError) in
            try period.map { (period: TimeSpan) throws(PolicyFileError) in try expression(node, "'resolve'", metrics: names, period: period, reader: reader) }
        }
        let window = period.flatMap { period in
            fields.attempt { () throws(PolicyFileError) in try breachWindow(mapping, period: period, reader: reader) }
        }
        let target = fields.read("target", required: true) { (node: Node) throws(PolicyFileError) in try TargetParser.parse(node, reader: reader) }
        let scopes = fields.attempt { () throws(PolicyFileError) in try ScopeParser.scopes(mapping, context: context, reader: reader) }
        if let metricsNode, let target {
            _ = fields.attempt { () throws(PolicyFileError) in
                try MetricsParser.checkVariables(metricsNode, allowed: target.selector.map { $0.kind.templateVariables }, reader: reader)
            }
        }
        let action = fields.read("action") { (node: Node) throws(PolicyFileError) in try ActionParser.parse(node, target: target?.target, reader: reader) }
        let description = fields.read("description") { (node: Node) throws(PolicyFileError) in try reader.string(node, "'description'") }
        let runbook = fields.read("runbook") { (node: Node) throws(PolicyFileError) in try reader.string(node, "'runbook'") }
        let mode = fields.read("mode") { (node: Node) throws(PolicyFileError) in try reader.choice(node, "'mode'", PolicyMode.self) }
        let missingData = fields.read("missing_data") { (node: Node) throws(PolicyFileError) in
            try reader.choice(node, "'missing_data'", MissingDataMode.self)
        }
        let settle = fields.read("settle") { (node: Node) throws(PolicyFileError) in try reader.duration(node, "'settle'") }
        let gates = fields.read("when") { (node: Node) throws(PolicyFileError) in
            try Self.gates(node, target: target?.target, metrics: names, period: period, reader: reader)
        }
        let guardrails = fields.read("guardrails") { (node: Node) throws(PolicyFileError) in try Self.guardrails(node, reader: reader) }
        let notify = fields.read("notify") { (node: Node) throws(PolicyFileError) in try reader.stringList(node, "'notify'") }
        let verifyWithin = fields.read("verify_within") { (node: Node) throws(PolicyFileError) in try reader.duration(node, "'verify_within'") }
        let approvalExpires = fields.read("approval_expires") { (node: Node) throws(PolicyFileError) in
            try reader.duration(node, "'approval_expires'")
        }
        guard fields.errors.isEmpty, let name, let metrics, let condition = condition ?? nil, let period, let window, let target, let scopes else {
            return (nil, fields.errors)
        }
        return (Policy(
            name: name, description: description, runbook: runbook, mode: mode ?? .dryRun,
            metrics: metrics, condition: condition, resolve: resolve ?? nil, window: window,
            missingData: missingData ?? .missing, period: period, settleDelay: settle, gates: gates?.deployment ?? [],
            gateCondition: gates?.condition, target: target.target, scopes: scopes, selector: target.selector, action: action,
            guardrails: guardrails ?? Guardrails(), notify: notify ?? [], verifyWithin: verifyWithin,
            approvalExpires: approvalExpires ?? .minutes(15)), [])
    }

    private static func policyName(_ node: Node, reader: NodeReader) throws(PolicyFileError) -> String {
        let name = try reader.string(node, "'name'")
        guard !name.isEmpty, name.utf8.allSatisfy({ (UInt8(ascii: "a")...UInt8(ascii: "z")).contains($0) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) || $0 == UInt8(ascii: "-") }) else {
            throw reader.error(node, "'name' must use only a-z, 0-9 and '-', found '\(name)'")
        }
        return name
    }

    private static func expression(_ node: Node, _ what: String, metrics: [String], period: TimeSpan,
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

    /// The `when:` gates: on the target's ECS deployments, and a `condition` over the
    /// policy's series (judged on the same period as the policy).
    private static func gates(_ node: Node, target: Target?, metrics: [String], period: TimeSpan?,
                              reader: NodeReader) throws(PolicyFileError) -> (deployment: [DeploymentGate], condition: ConditionGate?) {
        let fields = try reader.mapping(node, "'when'", allowed: ["deployed_within", "not_deployed_within", "condition"])
        var gates: [DeploymentGate] = []
        if let within = fields["deployed_within"] { gates.append(.deployedWithin(try reader.duration(within, "'deployed_within'"))) }
        if let notWithin = fields["not_deployed_within"] {
            gates.append(.notDeployedWithin(try reader.duration(notWithin, "'not_deployed_within'")))
        }
        // With the target itself in error, whether the gates fit it is not known.
        if let target, target.kind != .ecsService, !gates.isEmpty {
            throw reader.error(node, "'when' deployment gates read ECS deployments and need an ecs_service target")
        }
        let condition = try fields["condition"].flatMap { (node: Node) throws(PolicyFileError) -> ConditionGate? in
            guard let period else { return nil }
            let expression = try expression(node, "'when: condition'", metrics: metrics, period: period, reader: reader)
            return ConditionGate(expression: expression, text: try reader.string(node, "'condition'"))
        }
        return (gates, condition)
    }

    private static func guardrails(_ node: Node, reader: NodeReader) throws(PolicyFileError) -> Guardrails {
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
