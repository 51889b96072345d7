import Foundation

/// How times are stored: RFC 3339 in UTC with milliseconds, which sorts as text, so SQL range
/// queries and `sqlite3` users both read them directly.
public enum AuditTime {
    private static let style = Date.ISO8601FormatStyle(includingFractionalSeconds: true, timeZone: TimeZone(identifier: "UTC")!)

    /// `date` as stored, e.g. `2026-11-26T13:53:43.866Z`.
    public static func format(_ date: Date) -> String { style.format(date) }

    /// The date a stored time stands for.
    public static func parse(_ text: String) -> Date? { try? style.parse(text) }
}
