/// A span of time written the way operators write it in policy files: `90s`, `5m`, `1h`, `1d`,
/// or a sum such as `1h30m`. Whole seconds only, because CloudWatch periods are whole seconds.
public struct TimeSpan: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// The length in seconds.
    public let seconds: Int

    /// A span of `seconds` seconds.
    public init(seconds: Int) {
        self.seconds = seconds
    }

    /// A span of `minutes` minutes.
    public static func minutes(_ minutes: Int) -> TimeSpan { TimeSpan(seconds: minutes * 60) }

    /// A span of `hours` hours.
    public static func hours(_ hours: Int) -> TimeSpan { TimeSpan(seconds: hours * 3600) }

    /// The longest span a policy may write: ten years.
    public static let longest = TimeSpan(seconds: 10 * 366 * 86_400)

    private static let units: [(suffix: Character, seconds: Int)] = [
        ("d", 86_400), ("h", 3600), ("m", 60), ("s", 1),
    ]

    /// Parses `90s`, `5m`, `1h30m`, `-10m`. Returns nil for anything else, including `0`
    /// without a unit, fractions and unknown units.
    public init?(parsing text: String) {
        var rest = Substring(text)
        var sign = 1
        if rest.first == "-" {
            sign = -1
            rest = rest.dropFirst()
        }
        guard !rest.isEmpty else { return nil }
        var total = 0
        while !rest.isEmpty {
            let digits = rest.prefix(while: { $0.isASCII && $0.isNumber })
            guard !digits.isEmpty, digits.count <= 9, let amount = Int(digits) else { return nil }
            rest = rest.dropFirst(digits.count)
            guard let unit = rest.first, let factor = Self.units.first(where: { $0.suffix == unit })?.seconds
            else { return nil }
            rest = rest.dropFirst()
            total += amount * factor
            // Nothing Reflex does spans ten years; refusing more keeps all arithmetic in range.
            guard total <= Self.longest.seconds else { return nil }
        }
        self.seconds = sign * total
    }

    /// The shortest spelling in the largest whole units, e.g. `1h30m`; `0s` for zero.
    public var description: String {
        if seconds == 0 { return "0s" }
        var remaining = abs(seconds)
        var text = seconds < 0 ? "-" : ""
        for (suffix, factor) in Self.units where remaining >= factor {
            text += "\(remaining / factor)\(suffix)"
            remaining %= factor
        }
        return text
    }

    public static func < (lhs: TimeSpan, rhs: TimeSpan) -> Bool { lhs.seconds < rhs.seconds }

    /// Multiplies a span by a whole number.
    public static func * (lhs: TimeSpan, rhs: Int) -> TimeSpan { TimeSpan(seconds: lhs.seconds * rhs) }
}
