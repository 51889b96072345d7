/// A CloudWatch statistic as written in a policy: `Sum`, `Average`, `Minimum`, `Maximum`,
/// `SampleCount`, `IQM`, or an extended statistic such as `p99`, `p99.9`, `tm90`, `wm90`,
/// `tc90`, `ts90`. Kept as CloudWatch spells it, because it is sent as is.
public struct Statistic: Hashable, Sendable, CustomStringConvertible {
    /// The statistic exactly as CloudWatch names it.
    public let name: String

    private static let plain: Set<String> = ["Sum", "Average", "Minimum", "Maximum", "SampleCount", "IQM"]
    private static let percentileLike = ["p", "tm", "wm", "tc", "ts"]

    /// Validates a statistic name; nil for anything CloudWatch would reject.
    public init?(_ name: String) {
        guard Self.plain.contains(name) || Self.isExtended(name) else { return nil }
        self.name = name
    }

    /// Whether CloudWatch returns this statistic through `ExtendedStatistics` (percentiles and
    /// trimmed statistics) rather than the basic statistics.
    public var isExtended: Bool { Self.isExtended(name) }

    private static func isExtended(_ name: String) -> Bool {
        for prefix in percentileLike where name.hasPrefix(prefix) {
            let number = name.dropFirst(prefix.count)
            let parts = number.split(separator: ".", omittingEmptySubsequences: false)
            guard (1...2).contains(parts.count), parts.allSatisfy({ !$0.isEmpty && $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) }),
                  parts.count == 1 || parts[1].count <= 2,
                  let value = Double(number), value >= 0, value <= 100
            else { return false }
            return true
        }
        return false
    }

    public var description: String { name }
}
