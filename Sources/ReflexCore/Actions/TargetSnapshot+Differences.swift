extension TargetSnapshot {
    /// What differs from `earlier`, field by field, e.g. `revision 3 -> 4`: why an approval
    /// planned against `earlier` no longer fits the target.
    public func differences(from earlier: TargetSnapshot) -> [String] {
        let fields: [(String, KeyPath<TargetSnapshot, Int?>)] = [
            ("desired count", \.desiredCount), ("revision", \.revision), ("rollback revision", \.rollbackRevision),
            ("scaling minimum", \.scalingMin), ("scaling maximum", \.scalingMax), ("read capacity", \.readCapacity),
            ("write capacity", \.writeCapacity),
        ]
        var differences = fields.compactMap { name, field -> String? in
            guard earlier[keyPath: field] != self[keyPath: field] else { return nil }
            return "\(name) \(Self.text(earlier[keyPath: field])) -> \(Self.text(self[keyPath: field]))"
        }
        if earlier.onDemand != onDemand {
            differences.append("on-demand \(earlier.onDemand.map { "\($0)" } ?? "unknown") -> \(onDemand.map { "\($0)" } ?? "unknown")")
        }
        return differences
    }

    private static func text(_ value: Int?) -> String {
        value.map(String.init) ?? "unknown"
    }
}
