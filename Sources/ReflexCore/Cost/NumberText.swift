import Foundation

/// Numbers as Reflex prints them for people: counts with thousands separators, dollars with
/// the cents and as many digits below them as small sums need.
public enum NumberText {
    /// `1240` as `1,240`; fractions are rounded.
    public static func grouped(_ value: Double) -> String {
        let rounded = Int(value.rounded())
        let digits = String(abs(rounded))
        var text = ""
        for (index, digit) in digits.enumerated() {
            if index > 0 && (digits.count - index) % 3 == 0 { text += "," }
            text.append(digit)
        }
        return rounded < 0 ? "-" + text : text
    }

    /// `2.2464` as `$2.2464`, `0.6` as `$0.60`: four decimals at most, two at least.
    public static func usd(_ value: Double) -> String {
        var text = String(format: "%.4f", value)
        while text.hasSuffix("0"), let dot = text.firstIndex(of: "."), text.distance(from: dot, to: text.endIndex) > 3 {
            text.removeLast()
        }
        let parts = text.split(separator: ".", maxSplits: 1)
        return "$" + grouped(Double(parts[0]) ?? 0) + "." + (parts.count > 1 ? parts[1] : "00")
    }
}
