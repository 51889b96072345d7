import Foundation
import ReflexCore

/// Which decisions an audit query selects. Unset fields do not filter.
public struct DecisionFilter: Sendable {
    /// Only decisions at or after this time.
    public var since: Date?
    /// Only decisions at or before this time: both ends are inclusive, so a time copied from
    /// `reflex audit list` selects its own row.
    public var until: Date?
    /// Only decisions of this policy.
    public var policy: String?
    /// Only decisions about targets matching this glob (`*`, `?`), e.g. `dynamodb:cart-*`; a
    /// plain target id matches only itself.
    public var target: String?
    /// Only decisions with this reason code.
    public var reason: String?
    /// Only decisions in this mode (`dry-run` or `enforce`).
    public var mode: String?
    /// Only decisions of this kind.
    public var kind: String?

    /// A filter; everything unset by default.
    public init(since: Date? = nil, until: Date? = nil, policy: String? = nil, target: String? = nil,
                reason: String? = nil, mode: String? = nil, kind: String? = nil) {
        self.since = since
        self.until = until
        self.policy = policy
        self.target = target
        self.reason = reason
        self.mode = mode
        self.kind = kind
    }

    /// The SQL `WHERE` clause (or an empty string) and its arguments.
    var sql: (clause: String, arguments: [String]) {
        var conditions: [String] = []
        var arguments: [String] = []
        func add(_ condition: String, _ value: String?) {
            guard let value else { return }
            conditions.append(condition)
            arguments.append(value)
        }
        add("recorded_at >= ?", since.map(StoredTime.formatNearest))
        add("recorded_at <= ?", until.map(StoredTime.formatNearest))
        add("policy = ?", policy)
        // SQLite's GLOB has the same `*` and `?`; its `[` classes are not part of Reflex globs.
        add("target GLOB ?", target.map { $0.replacingOccurrences(of: "[", with: "[[]") })
        add("reason = ?", reason)
        add("mode = ?", mode)
        add("kind = ?", kind)
        return (conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND "), arguments)
    }
}
