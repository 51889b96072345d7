import Foundation
import ReflexCore

/// The intents stored in the coordination table: JSON with sorted keys, times as `StoredTime`
/// writes them to the nearest millisecond (as every time in the table is), so that a time read
/// back gives the same text, and the same action sort key, as the one written.
enum CoordinationJSON {
    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        // Sorted, so that equal intents are equal text; slashes plain, for people reading it.
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(StoredTime.formatNearest(date))
        }
        return encoder
    }()

    /// Reads what `encoder` wrote.
    static let decoder: JSONDecoder = {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .custom { decoder in
            let container = try decoder.singleValueContainer()
            let text = try container.decode(String.self)
            guard let date = StoredTime.parse(text) else {
                throw DecodingError.dataCorruptedError(in: container, debugDescription: "\(text) is not a stored time")
            }
            return date
        }
        return decoder
    }()
}
