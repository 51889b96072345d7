/// The compact series notation of policy tests, after `promtool test rules`:
/// `"0 0 50 _ 60"` lists values, `_` is a missing period, `aXn` is `a` repeated n+1 times,
/// `a+bXn` / `a-bXn` is `a, a+b, ..., a+n*b`, and `_Xn` is n+1 missing periods.
public enum SeriesNotation {
    /// A notation error at a character offset.
    public struct Error: Swift.Error, Hashable {
        /// Zero-based offset of the bad item.
        public let offset: Int
        /// What is wrong.
        public let message: String
    }

    /// The values `text` stands for; nil entries are missing periods.
    public static func parse(_ text: String) throws(Error) -> [Double?] {
        var values: [Double?] = []
        var offset = 0
        for item in text.split(separator: " ", omittingEmptySubsequences: false) {
            defer { offset += item.count + 1 }
            guard !item.isEmpty else { continue }
            values += try expand(item, at: offset)
            guard values.count <= 100_000 else { throw Error(offset: offset, message: "a series may have at most 100000 values") }
        }
        return values
    }

    private static func expand(_ item: Substring, at offset: Int) throws(Error) -> [Double?] {
        let parts = item.lowercased().split(separator: "x", maxSplits: 1, omittingEmptySubsequences: false)
        var repeats = 0
        if parts.count == 2 {
            guard let count = Int(parts[1]), count >= 0, count <= 100_000 else {
                throw Error(offset: offset, message: "'\(item)': the count after x must be a whole number")
            }
            repeats = count
        }
        let head = String(parts[0])
        if head == "_" { return Array(repeating: nil, count: repeats + 1) }
        if let value = number(head) { return Array(repeating: value, count: repeats + 1) }
        // a+b or a-b: find the sign that separates the two numbers (not a leading sign or exponent).
        let characters = Array(head)
        for index in characters.indices.dropFirst() where characters[index] == "+" || characters[index] == "-" {
            guard characters[index - 1] != "e" else { continue }
            guard parts.count == 2, let base = number(String(characters[..<index])),
                  let increment = number(String(characters[index...]))
            else { break }
            return (0...repeats).map { base + Double($0) * increment }
        }
        throw Error(offset: offset, message: "'\(item)' is not a value, '_', 'aXn' or 'a+bXn'")
    }

    private static func number(_ text: String) -> Double? {
        guard let value = Double(text), value.isFinite else { return nil }
        return value
    }
}
