/// The lines of a text, found once, so that the text of any run of lines is cut out without
/// splitting the whole text again.
struct LineIndex {
    private let text: String
    /// Where each line starts; a line ends where the next starts, less its newline.
    private let starts: [String.Index]

    init(_ text: String) {
        self.text = text
        var starts = [text.startIndex]
        var index = text.utf8.startIndex
        while let newline = text.utf8[index...].firstIndex(of: UInt8(ascii: "\n")) {
            index = text.utf8.index(after: newline)
            starts.append(index)
        }
        self.starts = starts
    }

    /// The number of lines (a text ending in a newline has an empty last line).
    var count: Int { starts.count }

    /// Lines `range` (0-based, clamped to the text) joined by their newlines, without the
    /// newline that ends the last of them.
    func text(of range: Range<Int>) -> String {
        let first = min(range.lowerBound, count), end = max(min(range.upperBound, count), first)
        guard first < end else { return "" }
        let upper = end < count ? text.utf8.index(before: starts[end]) : text.endIndex
        return String(text[starts[first]..<upper])
    }
}
