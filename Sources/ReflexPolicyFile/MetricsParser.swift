import ReflexCore
import Yams

/// Reads a policy's `metrics:` mapping of named series: CloudWatch queries, or the sources
/// beside CloudWatch (`SeriesSourceParser`).
enum MetricsParser {
    private static let reserved: Set<String> = Set(["and", "or", "not", "predict"]
        + ScalarFunction.allCases.map(\.rawValue) + WindowFunction.allCases.map(\.rawValue))

    /// The valid metrics of `node`, each bad one's error added to `errors` (every metric is
    /// read on its own); nil when `node` is not a mapping of metrics at all.
    static func parse(_ node: Node, reader: NodeReader, errors: inout [PolicyFileError]) -> [NamedMetric]? {
        guard case let .mapping(mapping) = node, !mapping.isEmpty else {
            errors.append(reader.error(node, "'metrics' must map names to CloudWatch queries, e.g. errors: { namespace: ..., metric: ... }"))
            return nil
        }
        var metrics: [NamedMetric] = []
        for (keyNode, value) in mapping {
            do throws(PolicyFileError) {
                metrics.append(try parseMetric(keyNode, value, after: metrics.first, reader: reader))
            } catch {
                errors.append(error)
            }
        }
        return metrics
    }

    /// The names `node` gives its metrics, valid or not, in order: an expression that names a
    /// metric whose query is wrong is not also refused for naming an unknown metric.
    static func names(in node: Node) -> [String] {
        guard case let .mapping(mapping) = node else { return [] }
        return mapping.keys.compactMap { $0.scalar?.string }
    }

    private static func parseMetric(_ keyNode: Node, _ value: Node, after first: NamedMetric?, reader: NodeReader) throws(PolicyFileError) -> NamedMetric {
        guard let name = keyNode.scalar?.string, let initial = name.first, initial.isASCII, initial.isLetter || initial == "_",
              name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") })
        else {
            throw reader.error(keyNode, "a metric name must be a word of letters, digits and '_' that starts with a letter")
        }
        guard !reserved.contains(name) else {
            throw reader.error(keyNode, "'\(name)' is a word of the expression language and cannot name a metric")
        }
        let query = try parseQuery(value, name: name, reader: reader)
        if let first, first.query.period != query.period {
            throw reader.error(value, "metric '\(name)' has period \(query.period) but '\(first.name)' has \(first.query.period); "
                               + "all metrics of a policy share one period")
        }
        return NamedMetric(name: name, query: query)
    }

    private static func parseQuery(_ node: Node, name: String, reader: NodeReader) throws(PolicyFileError) -> MetricQuery {
        if let kind = SeriesSourceParser.kind(of: node) { return try SeriesSourceParser.parse(node, kind: kind, name: name, reader: reader) }
        let what = "metric '\(name)'"
        let fields = try reader.mapping(node, what, allowed: ["namespace", "metric", "dimensions", "stat", "period"])
        let namespace = try reader.nonEmptyString(try fields.required("namespace", in: what, reader: reader), "'namespace'")
        let metric = try reader.nonEmptyString(try fields.required("metric", in: what, reader: reader), "'metric'")
        let statNode = try fields.required("stat", in: what, reader: reader)
        let statText = try reader.string(statNode, "'stat'")
        guard let stat = Statistic(statText) else {
            throw reader.error(statNode, "'\(statText)' is not a CloudWatch statistic (Sum, Average, Minimum, Maximum, "
                               + "SampleCount, IQM, p99, p99.9, tm90, ...)")
        }
        let periodNode = try fields.required("period", in: what, reader: reader)
        let period = try reader.duration(periodNode, "'period'")
        guard MetricQuery.isValidPeriod(period) else {
            throw reader.error(periodNode, "'period' must be 10s, 30s or a multiple of 60s, found \(period)")
        }
        var dimensions: [MetricQuery.Dimension] = []
        if let dimensionsNode = fields["dimensions"] {
            guard case let .mapping(mapping) = dimensionsNode else {
                throw reader.error(dimensionsNode, "'dimensions' must map dimension names to values")
            }
            for (key, value) in mapping {
                dimensions.append(MetricQuery.Dimension(
                    name: try reader.nonEmptyString(key, "a dimension name"), value: try reader.nonEmptyString(value, "a dimension value")))
            }
            guard dimensions.count <= 30 else { throw reader.error(dimensionsNode, "CloudWatch allows at most 30 dimensions") }
        }
        return MetricQuery(namespace: namespace, metric: metric, dimensions: dimensions, stat: stat, period: period)
    }

    /// Rejects, at its own line and column, a `${variable}` in a dimension value that the
    /// target does not have: `allowed` are a fleet target's variables, nil for one resource.
    /// Run on metrics already parsed, once the target is known.
    static func checkVariables(_ node: Node, allowed: [String]?, reader: NodeReader) throws(PolicyFileError) {
        guard case let .mapping(metrics) = node else { return }
        for case let .mapping(query) in metrics.values {
            // A CloudWatch query's dimension values, or a source's settings (cluster, url, group...).
            for key in ["dimensions"] + SeriesSourceParser.kinds {
                guard case let .mapping(values)? = query.first(where: { $0.key.scalar?.string == key })?.value else { continue }
                for value in values.values {
                    try checkVariables(in: value.scalar?.string ?? "", at: value, allowed: allowed, reader: reader)
                }
            }
        }
    }

    private static func checkVariables(in text: String, at node: Node, allowed: [String]?, reader: NodeReader) throws(PolicyFileError) {
        for variable in TemplateText.variables(in: text) {
            guard let allowed else {
                throw reader.error(at: node, offset: variable.offset,
                                   "'${\(variable.name)}' needs a fleet target (a selector with 'name' or 'tags'); this policy names one resource")
            }
            guard allowed.contains(variable.name) else {
                let hint = NearestName.closest(to: variable.name, among: allowed).map { "; did you mean '${\($0)}'?" } ?? ""
                throw reader.error(at: node, offset: variable.offset,
                                   "unknown variable '${\(variable.name)}' for this target; it has \(allowed.map { "${\($0)}" }.joined(separator: ", "))\(hint)")
            }
        }
    }
}
