import Foundation
import ReflexCore

/// A time on the command line: RFC 3339 (`2026-11-26T08:00:00Z`) or an age (`24h`, `7d`),
/// meaning that long before now.
enum AuditTimeArgument {
    static func parse(_ text: String, now: Date) -> Date? {
        if let span = TimeSpan(parsing: text), span.seconds > 0 { return now.addingTimeInterval(-Double(span.seconds)) }
        return try? Date(text, strategy: .iso8601)
    }
}
