/// The block layout of a YAML text, line by line, as far as explaining an indentation mistake
/// needs it: each line's indentation and leading key, and whether it continues a flow
/// collection (`{ ... }` or `[ ... ]` spread over lines), whose indentation means nothing.
/// A rough reading, for error messages only: the text has already failed to parse.
struct YAMLLayout {
    /// One line of the text.
    struct Line {
        /// The line's text.
        let text: String
        /// Leading spaces.
        let indent: Int
        /// Zero-based column of the line's key, after any `- ` that starts a list item.
        let keyColumn: Int
        /// The key the line starts with, if it starts with `key:`.
        let key: String?
        /// Whether the line starts a list item.
        let isItem: Bool
        /// Whether the line starts inside a flow collection opened on an earlier line.
        let continuesFlow: Bool
        /// Whether the line holds only spaces or a comment.
        let isBlank: Bool
        /// The one-based column of a quote the line opens and does not close, if any.
        let unclosedQuote: Int?

        /// Whether the line takes part in the block structure.
        var isStructural: Bool { !isBlank && !continuesFlow }
    }

    /// A flow collection's opening bracket.
    struct Opener {
        /// `{` or `[`.
        let bracket: Character
        /// One-based line and column.
        let line: Int
        let column: Int
    }

    /// The lines, first at index 0.
    let lines: [Line]
    /// The brackets still open at the end of each line, innermost last.
    private let openAtEnd: [[Opener]]

    init(_ text: String) {
        var lines: [Line] = []
        var openAtEnd: [[Opener]] = []
        var open: [Opener] = []
        for (index, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let text = String(raw)
            let continuesFlow = !open.isEmpty
            let characters = Array(text)
            let indent = characters.prefix { $0 == " " }.count
            var keyColumn = indent
            var isItem = false
            while keyColumn + 1 < characters.count, characters[keyColumn] == "-", characters[keyColumn + 1] == " " {
                isItem = true
                keyColumn += 2
                while keyColumn < characters.count, characters[keyColumn] == " " { keyColumn += 1 }
            }
            let rest = String(characters[keyColumn...])
            let isBlank = rest.allSatisfy { $0 == " " || $0 == "\t" || $0 == "\r" } || rest.hasPrefix("#")
            let unclosedQuote = Self.track(characters, line: index + 1, open: &open)
            lines.append(Line(text: text, indent: indent, keyColumn: keyColumn, key: Self.leadingKey(rest), isItem: isItem,
                              continuesFlow: continuesFlow, isBlank: isBlank && !isItem, unclosedQuote: unclosedQuote))
            openAtEnd.append(open)
        }
        self.lines = lines
        self.openAtEnd = openAtEnd
    }

    /// The line at one-based `number`, if there is one.
    func line(_ number: Int) -> Line? {
        lines.indices.contains(number - 1) ? lines[number - 1] : nil
    }

    /// The structural line before one-based `number`, with its number.
    func previous(before number: Int) -> (number: Int, line: Line)? {
        var index = min(number - 1, lines.count) - 1
        while index >= 0 {
            if lines[index].isStructural { return (index + 1, lines[index]) }
            index -= 1
        }
        return nil
    }

    /// The innermost bracket open at the start of one-based line `number`.
    func innermostOpen(before number: Int) -> Opener? {
        number >= 2 && number - 2 < openAtEnd.count ? openAtEnd[number - 2].last : nil
    }

    /// The keys that enclose one-based line `number`: walking up, each structural line less
    /// indented than every line between it and `number`, nearest first.
    func enclosingKeys(of number: Int) -> [(number: Int, line: Line)] {
        var found: [(number: Int, line: Line)] = []
        var smallest = Int.max
        var cursor = number
        while let (above, line) = previous(before: cursor) {
            cursor = above
            guard line.indent < smallest else { continue }
            smallest = line.indent
            found.append((above, line))
            if smallest == 0 { break }
        }
        return found
    }

    /// `key` when `text` starts with `key:` followed by a space or the end.
    private static func leadingKey(_ text: String) -> String? {
        guard let colon = text.firstIndex(of: ":") else { return nil }
        let key = text[..<colon]
        let after = text[text.index(after: colon)...]
        guard !key.isEmpty, after.isEmpty || after.first == " ", key.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" })
        else { return nil }
        return String(key)
    }

    /// Follows the flow brackets of one line, skipping quoted text and comments; returns the
    /// one-based column of a quote left open at the end of the line.
    private static func track(_ characters: [Character], line: Int, open: inout [Opener]) -> Int? {
        var quote: (character: Character, column: Int)?
        var escaped = false
        for (index, character) in characters.enumerated() {
            if let current = quote {
                if escaped {
                    escaped = false
                } else if character == "\\" && current.character == "\"" {
                    escaped = true
                } else if character == current.character {
                    quote = nil
                }
                continue
            }
            switch character {
            // A quote opens a quoted scalar only where a value starts: "cart's" is plain text.
            case "\"" where index == 0 || " {[,:".contains(characters[index - 1]): quote = (character, index + 1)
            case "'" where index == 0 || " {[,:".contains(characters[index - 1]): quote = (character, index + 1)
            case "#" where index == 0 || characters[index - 1] == " ": return nil
            case "{", "[": open.append(Opener(bracket: character, line: line, column: index + 1))
            case "}", "]": if !open.isEmpty { open.removeLast() }
            default: break
            }
        }
        return quote?.column
    }
}
