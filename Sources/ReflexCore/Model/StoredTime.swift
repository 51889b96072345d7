import Foundation

/// How times are stored, in the decision log and in the coordination table: RFC 3339 in UTC
/// with milliseconds, always 24 characters, which sorts as text, so range queries (SQL, DynamoDB
/// sort keys) and people reading the rows both use them directly.
public enum StoredTime {
    private static let style = Date.ISO8601FormatStyle(includingFractionalSeconds: true, timeZone: TimeZone(identifier: "UTC")!)

    /// `date` as stored, e.g. `2026-11-26T13:53:43.866Z`: truncated to the millisecond, so a
    /// stored time is never later than the moment it records (guardrails count actions up to
    /// "now", read back from these times).
    public static func format(_ date: Date) -> String { style.format(date) }

    /// `date` to the nearest millisecond. For a bound a person gave: a time copied from the
    /// output and parsed is a binary fraction a hair below its millisecond, which truncating
    /// would print 1 ms early, and a filter on it would miss its own row. For a key made from a
    /// time read back: it is the text the time was read from, so the key names the same item.
    public static func formatNearest(_ date: Date) -> String {
        style.format(Date(timeIntervalSince1970: ((date.timeIntervalSince1970 * 1000).rounded() + 0.5) / 1000))
    }

    /// The date a stored time stands for: the double nearest to its decimal value, so that equal
    /// texts give equal dates however they were parsed.
    public static func parse(_ text: String) -> Date? {
        guard let parsed = try? style.parse(text) else { return nil }
        return Date(timeIntervalSince1970: (parsed.timeIntervalSince1970 * 1000).rounded() / 1000)
    }
}
