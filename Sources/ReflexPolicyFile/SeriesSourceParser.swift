import Foundation
import ReflexCore
import Yams

/// Reads a metric that names a source beside CloudWatch, e.g.
/// `oom: { ecs_stopped_tasks: { cluster: ecommerce, service: cart-service, reason: "OutOfMemoryError*" }, period: 1m }`.
enum SeriesSourceParser {
    /// The keys that name a source, each a mapping of the source's settings.
    static let kinds = [SeriesSource.Kind.ecsStoppedTasks, .httpProbe, .logEvents].map(\.rawValue)

    /// The source key of a metric's mapping `node`, if it names one.
    static func kind(of node: Node) -> String? {
        guard case let .mapping(mapping) = node else { return nil }
        return mapping.keys.compactMap { $0.scalar?.string }.first { kinds.contains($0) }
    }

    /// The query of metric `name`, whose mapping `node` names the source `kind`.
    static func parse(_ node: Node, kind: String, name: String, reader: NodeReader) throws(PolicyFileError) -> MetricQuery {
        let what = "metric '\(name)'"
        let fields = try reader.mapping(node, what, allowed: [kind, "period"])
        let settings = try fields.required(kind, in: what, reader: reader)
        let periodNode = try fields.required("period", in: what, reader: reader)
        let period = try reader.duration(periodNode, "'period'")
        guard period.seconds > 0 else { throw reader.error(periodNode, "'period' must be positive") }
        let source: SeriesSource
        switch SeriesSource.Kind(rawValue: kind) {
        case .ecsStoppedTasks?: source = .ecsStoppedTasks(try stoppedTasks(settings, reader: reader))
        case .logEvents?: source = .logEvents(try logEvents(settings, reader: reader))
        case .httpProbe?:
            let probe = try httpProbe(settings, reader: reader)
            guard probe.every.seconds <= period.seconds else {
                throw reader.error(periodNode, "'period' (\(period)) is shorter than the probe's 'every' (\(probe.every)): some periods would hold no probe")
            }
            source = .httpProbe(probe)
        case .cloudWatch?, nil:
            throw reader.error(settings, "'\(kind)' is not a series source")
        }
        return MetricQuery(source: source, period: period)
    }

    private static func stoppedTasks(_ node: Node, reader: NodeReader) throws(PolicyFileError) -> SeriesSource.StoppedTasks {
        let what = "'ecs_stopped_tasks'"
        let fields = try reader.mapping(node, what, allowed: ["cluster", "service", "reason", "exit_code"])
        return SeriesSource.StoppedTasks(
            cluster: try reader.nonEmptyString(try fields.required("cluster", in: what, reader: reader), "'cluster'"),
            service: try reader.nonEmptyString(try fields.required("service", in: what, reader: reader), "'service'"),
            reason: try fields["reason"].map { (node: Node) throws(PolicyFileError) in Glob(try reader.nonEmptyString(node, "'reason'")) },
            exitCode: try fields["exit_code"].map { (node: Node) throws(PolicyFileError) in try reader.signedInteger(node, "'exit_code'") })
    }

    private static func logEvents(_ node: Node, reader: NodeReader) throws(PolicyFileError) -> SeriesSource.LogEvents {
        let what = "'log_events'"
        let fields = try reader.mapping(node, what, allowed: ["group", "pattern"])
        return SeriesSource.LogEvents(group: try reader.nonEmptyString(try fields.required("group", in: what, reader: reader), "'group'"),
                                      pattern: try reader.nonEmptyString(try fields.required("pattern", in: what, reader: reader), "'pattern'"))
    }

    private static func httpProbe(_ node: Node, reader: NodeReader) throws(PolicyFileError) -> SeriesSource.HTTPProbe {
        let what = "'http_probe'"
        let fields = try reader.mapping(node, what, allowed: ["url", "expect_status", "timeout", "every"])
        let urlNode = try fields.required("url", in: what, reader: reader)
        let url = try reader.nonEmptyString(urlNode, "'url'")
        // A fleet's URL holds `${...}` until an instance resolves it: only its scheme is checked here.
        let scheme = url.split(separator: ":", maxSplits: 1).first.map { $0.lowercased() }
        guard scheme == "http" || scheme == "https", url.contains("://") else {
            throw reader.error(urlNode, "'url' must be an http:// or https:// URL, found '\(url)'")
        }
        let status = try fields["expect_status"].map { (node: Node) throws(PolicyFileError) in
            let status = try reader.integer(node, "'expect_status'", minimum: 100)
            guard status <= 599 else { throw reader.error(node, "'expect_status' must be an HTTP status, 100 to 599") }
            return status
        } ?? 200
        let every = try fields["every"].map { (node: Node) throws(PolicyFileError) in try reader.duration(node, "'every'") } ?? TimeSpan(seconds: 10)
        let timeout = try fields["timeout"].map { (node: Node) throws(PolicyFileError) in try reader.duration(node, "'timeout'") } ?? TimeSpan(seconds: 2)
        guard every.seconds >= 1 else { throw reader.error(fields["every"] ?? node, "'every' must be at least 1s") }
        guard timeout.seconds >= 1, timeout.seconds <= every.seconds else {
            throw reader.error(fields["timeout"] ?? node, "'timeout' must be at least 1s and at most 'every' (\(every)), found \(timeout)")
        }
        return SeriesSource.HTTPProbe(url: url, expectStatus: status, timeout: timeout, every: every)
    }
}
