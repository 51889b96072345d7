import Foundation

/// How times are stored: RFC 3339 in UTC with milliseconds, which sorts as text, so SQL range
/// queries and `sqlite3` users both read them directly.
public enum AuditTime {
    private static let seconds = Date.ISO8601FormatStyle(timeZone: TimeZone(identifier: "UTC")!)
    private static let style = Date.ISO8601FormatStyle(includingFractionalSeconds: true, timeZone: TimeZone(identifier: "UTC")!)

    /// `date` as stored, e.g. `2026-11-26T13:53:43.866Z`: rounded to the nearest millisecond.
    /// The milliseconds are written by hand: a time read back from its text is a binary
    /// fraction a hair below the millisecond, and a formatter that truncates would print it
    /// 1 ms early, so a printed time would miss its own row in a filter.
    public static func format(_ date: Date) -> String {
        let milliseconds = (date.timeIntervalSince1970 * 1000).rounded()
        let whole = (milliseconds / 1000).rounded(.down)
        let fraction = Int(milliseconds - whole * 1000)
        let text = seconds.format(Date(timeIntervalSince1970: whole))
        let digits = String(fraction)
        return text.dropLast() + "." + String(repeating: "0", count: 3 - digits.count) + digits + "Z"
    }

    /// The date a stored time stands for.
    public static func parse(_ text: String) -> Date? { try? style.parse(text) }
}
