import Foundation

/// Times in the coordination table: ISO-8601 in UTC with milliseconds, always 24 characters
/// (`2026-12-02T16:13:55.123Z`), so that text order is time order and a sort key starting with
/// one sorts actions by time. Finer than a millisecond is dropped, the same way everywhere: the
/// sort key an update names must be the one the action was written with.
enum CoordinationTimestamp {
    private static let utc: Calendar = {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        return calendar
    }()

    /// Whole milliseconds since 1970, rounded down. Through microseconds first: a time made
    /// from milliseconds (1.123 s) may be a hair below them as a double.
    static func milliseconds(_ date: Date) -> Int64 {
        let microseconds = (date.timeIntervalSince1970 * 1_000_000).rounded()
        return Int64((microseconds / 1000).rounded(.down))
    }

    /// `date` as fixed-width text.
    static func string(_ date: Date) -> String {
        let total = milliseconds(date)
        let seconds = total >= 0 ? total / 1000 : (total - 999) / 1000
        let fields = utc.dateComponents([.year, .month, .day, .hour, .minute, .second], from: Date(timeIntervalSince1970: Double(seconds)))
        func padded(_ value: Int?, _ width: Int) -> String {
            let text = String(value ?? 0)
            return String(repeating: "0", count: max(0, width - text.count)) + text
        }
        return "\(padded(fields.year, 4))-\(padded(fields.month, 2))-\(padded(fields.day, 2))T\(padded(fields.hour, 2)):"
            + "\(padded(fields.minute, 2)):\(padded(fields.second, 2)).\(padded(Int(total - seconds * 1000), 3))Z"
    }

    /// The time `text` (as `string` writes it) stands for; nil when it is not such a time.
    static func date(_ text: String) -> Date? {
        let characters = Array(text.utf8)
        guard characters.count == 24, characters[23] == UInt8(ascii: "Z") else { return nil }
        func number(_ range: Range<Int>) -> Int? { Int(String(decoding: characters[range], as: UTF8.self)) }
        guard let year = number(0..<4), let month = number(5..<7), let day = number(8..<10), let hour = number(11..<13),
              let minute = number(14..<16), let second = number(17..<19), let millisecond = number(20..<23),
              let whole = utc.date(from: DateComponents(year: year, month: month, day: day, hour: hour, minute: minute, second: second))
        else { return nil }
        // One division of the whole count: the double nearest to the decimal time.
        return Date(timeIntervalSince1970: Double(Int64(whole.timeIntervalSince1970) * 1000 + Int64(millisecond)) / 1000)
    }

    /// JSON with sorted keys and dates as `string` writes them: the stored intent.
    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        // Sorted, so that equal intents are equal text; slashes plain, for people reading it.
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(string(date))
        }
        return encoder
    }()

    /// Reads what `encoder` wrote.
    static let decoder: JSONDecoder = {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .custom { decoder in
            let container = try decoder.singleValueContainer()
            let text = try container.decode(String.self)
            guard let date = date(text) else {
                throw DecodingError.dataCorruptedError(in: container, debugDescription: "\(text) is not a coordination timestamp")
            }
            return date
        }
        return decoder
    }()
}
