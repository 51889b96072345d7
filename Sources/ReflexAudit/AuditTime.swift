import Foundation

/// How times are stored: RFC 3339 in UTC with milliseconds, which sorts as text, so SQL range
/// queries and `sqlite3` users both read them directly.
public enum AuditTime {
    private static let style = Date.ISO8601FormatStyle(includingFractionalSeconds: true, timeZone: TimeZone(identifier: "UTC")!)

    /// `date` as stored, e.g. `2026-11-26T13:53:43.866Z`: truncated to the millisecond, so a
    /// stored time is never later than the moment it records (guardrails count actions up to
    /// "now", read back from these times).
    public static func format(_ date: Date) -> String { style.format(date) }

    /// `date` to the nearest millisecond, for a bound a person gave: a time copied from the
    /// output and parsed is a binary fraction a hair below its millisecond, which truncating
    /// would print 1 ms early, and a filter on it would miss its own row.
    public static func formatNearest(_ date: Date) -> String {
        style.format(Date(timeIntervalSince1970: ((date.timeIntervalSince1970 * 1000).rounded() + 0.5) / 1000))
    }

    /// The date a stored time stands for.
    public static func parse(_ text: String) -> Date? { try? style.parse(text) }
}
