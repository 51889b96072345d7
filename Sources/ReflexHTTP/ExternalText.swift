import Foundation

/// Text that comes from outside Reflex (an AWS error message, a receiver's response) and may
/// be of any size. It is cut where it enters, so that a hostile or broken peer cannot swell
/// logs, error descriptions or decision rows.
public enum ExternalText {
    /// The most UTF-8 bytes kept of one such text.
    public static let limit = 1024

    /// `text`, or its first `limit` bytes (on a character boundary) followed by
    /// `… (N bytes truncated)`.
    public static func bounded(_ text: some StringProtocol, limit: Int = limit) -> String {
        bounded(prefix: text, totalBytes: text.utf8.count, limit: limit)
    }

    /// `data` read as UTF-8, bounded like a string; only what is kept is decoded.
    public static func bounded(_ data: Data, limit: Int = limit) -> String {
        // A few bytes past the limit let the last kept character be whole.
        bounded(prefix: String(decoding: data.prefix(limit + 4), as: UTF8.self), totalBytes: data.count, limit: limit)
    }

    private static func bounded(prefix text: some StringProtocol, totalBytes: Int, limit: Int) -> String {
        guard totalBytes > limit else { return String(text) }
        var kept = 0
        var end = text.startIndex
        for character in text {
            guard kept + character.utf8.count <= limit else { break }
            kept += character.utf8.count
            end = text.index(after: end)
        }
        return String(text[..<end]) + "… (\(totalBytes - kept) bytes truncated)"
    }
}
