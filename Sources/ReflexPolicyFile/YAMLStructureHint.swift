import Foundation

/// Explains the YAML mistakes people make most in Reflex's files (a key or list item indented
/// too little or too much, a tab, a missing `:`, an unquoted `: ` in a value, an unclosed `{`
/// or quote) in Reflex's
/// words, at the line of the mistake and with the likely fix. libyaml's own messages ("did not
/// find expected key") name the parser's state, not the mistake, and often point at the line
/// after it.
enum YAMLStructureHint {
    /// Where the mistake is and what to do about it.
    struct Hint: Equatable {
        /// One-based line and column of the mistake.
        let line: Int
        let column: Int
        let message: String
    }

    /// The hint for libyaml's `problem` at one-based `line` and `column` of `text`; nil when
    /// the mistake is not one of the known kinds, and libyaml's message is all there is.
    static func explain(_ problem: String, line: Int, column: Int, in text: String) -> Hint? {
        let layout = YAMLLayout(text)
        if problem.hasPrefix("found character that cannot start any token") { return tab(at: line, layout) }
        // A quote left open swallows the lines after it, and whatever libyaml then says is
        // about those lines, not the quote.
        if let quote = unclosedQuote(before: line, layout) { return quote }
        if problem.hasPrefix("did not find expected key") || problem.hasPrefix("did not find expected '-' indicator") {
            return misaligned(at: line, layout)
        }
        if problem.hasPrefix("mapping values are not allowed") { return unexpectedColon(at: line, column: column, layout) }
        if problem.hasPrefix("could not find expected ':'") { return missingColon(before: line, layout) }
        if problem.hasPrefix("did not find expected ',' or") { return unclosed(before: line, layout) }
        return nil
    }

    private static func tab(at number: Int, _ layout: YAMLLayout) -> Hint? {
        guard let line = layout.line(number), let tab = line.text.prefix(while: { $0 == " " || $0 == "\t" }).firstIndex(of: "\t") else {
            return nil
        }
        var message = "a tab in the indentation; YAML indents with spaces only: replace the tab with spaces"
        // Which key the line was meant to line up with, the tab does not say: list them all.
        let levels = keyLevels(enclosing: number, indent: 1, layout).sorted { $0.column < $1.column }
        if !levels.isEmpty {
            message += ", as many as the key it belongs beside ("
                + levels.map { "\($0.column) for \(name(of: $0.line)) on line \($0.number)" }.joined(separator: ", ") + ")"
        }
        return Hint(line: number, column: line.text.distance(from: line.text.startIndex, to: tab) + 1, message: message)
    }

    /// The nearest line up to `number` that opens a quote and does not close it.
    private static func unclosedQuote(before number: Int, _ layout: YAMLLayout) -> Hint? {
        for candidate in stride(from: min(number, layout.lines.count), through: 1, by: -1) {
            guard let line = layout.line(candidate), line.isStructural, let column = line.unclosedQuote else { continue }
            let quote = line.text[line.text.index(line.text.startIndex, offsetBy: column - 1)]
            return Hint(line: candidate, column: column,
                        message: "the opening \(quote) here is not closed on its line, so YAML reads the lines after it as part of the text; "
                            + "end the text with another \(quote)")
        }
        return nil
    }

    /// A line whose indentation matches none of the keys that enclose it.
    private static func misaligned(at number: Int, _ layout: YAMLLayout) -> Hint? {
        guard let line = layout.line(number), line.isStructural else { return nil }
        let enclosing = layout.enclosingKeys(of: number)
        let levels = keyLevels(enclosing: number, indent: line.indent, layout)
        if line.isItem { return misalignedItem(at: number, line, enclosing) }
        // A line that lines up with a key is not misaligned: the mistake is elsewhere.
        guard let nearest = levels.map({ abs($0.column - line.indent) }).min(), nearest > 0 else { return nil }
        let options = levels.filter { abs($0.column - line.indent) == nearest }.sorted { $0.column > $1.column }
        var message = "\(name(of: line)) is indented \(spaces(line.indent))"
        if let item = enclosing.first(where: { $0.line.isItem && $0.line.indent == line.indent }) {
            message += ", as the '-' of the list item on line \(item.number), so YAML expects another '- ' item there"
        } else {
            message += ", which lines up with no key above it"
        }
        message += "; indent it " + options.map { "\(spaces($0.column)) to line up with \(name(of: $0.line)) on line \($0.number)" }
            .joined(separator: ", or ")
        return Hint(line: number, column: line.indent + 1, message: message)
    }

    /// A list item whose '-' lines up with no '-' of the lists that enclose it.
    private static func misalignedItem(at number: Int, _ line: YAMLLayout.Line,
                                       _ enclosing: [(number: Int, line: YAMLLayout.Line)]) -> Hint? {
        let dashes = enclosing.filter { $0.line.isItem }
        guard let nearest = dashes.min(by: { abs($0.line.indent - line.indent) < abs($1.line.indent - line.indent) }),
              nearest.line.indent != line.indent
        else { return nil }
        let text = line.text.trimmingCharacters(in: [" "])
        let item = line.key.map { "'- \($0)'" } ?? (text.count <= 30 ? "'\(text)'" : "'-'")
        return Hint(line: number, column: line.indent + 1,
                    message: "the list item \(item) is indented \(spaces(line.indent)), which lines up with no '-' above it; "
                        + "indent it \(spaces(nearest.line.indent)) to line up with the '-' on line \(nearest.number)")
    }

    /// A `:` where YAML allows none: inside a plain value, or on a line indented under a key
    /// whose value is already written.
    private static func unexpectedColon(at number: Int, column: Int, _ layout: YAMLLayout) -> Hint? {
        guard let line = layout.line(number), line.isStructural else { return nil }
        if let key = line.key, column > line.keyColumn + key.count + 1 {
            let value = line.text.dropFirst(line.keyColumn + key.count + 1).trimmingCharacters(in: [" "])
            let quoted = value.contains("\"") ? "'\(value)'" : "\"\(value)\""
            return Hint(line: number, column: column,
                        message: "the value of '\(key)' holds ': ', which YAML reads as the start of another key; "
                            + "put the value in quotes: \(key): \(quoted)")
        }
        guard let (above, previous) = layout.previous(before: number), previous.keyColumn < line.indent, previous.key != nil else { return nil }
        return Hint(line: number, column: line.keyColumn + 1,
                    message: "\(name(of: line)) is indented \(spaces(line.indent)), more than \(name(of: previous)) on line \(above), "
                        + "so YAML reads it as more of the value of \(name(of: previous)); "
                        + "indent it \(spaces(previous.keyColumn)) to line up with \(name(of: previous))")
    }

    /// A line at a key's place with no `:`; libyaml notices only on the line after it.
    private static func missingColon(before number: Int, _ layout: YAMLLayout) -> Hint? {
        let candidates = [layout.line(number).map { (number, $0) }, layout.previous(before: number)].compactMap { $0 }
        guard let (found, line) = candidates.first(where: { $0.1.isStructural && $0.1.key == nil && !$0.1.isItem }) else { return nil }
        let words = line.text.dropFirst(line.keyColumn).trimmingCharacters(in: [" "]).split(separator: " ", maxSplits: 1)
        guard let key = words.first else { return nil }
        let fix = words.count == 2 ? "\(key): \(words[1])" : "\(key):"
        return Hint(line: found, column: line.keyColumn + 1,
                    message: "'\(words.joined(separator: " "))' has no ':' after its key; write '\(fix)'")
    }

    /// A `{` or `[` left open; libyaml notices only where the next key starts.
    private static func unclosed(before number: Int, _ layout: YAMLLayout) -> Hint? {
        guard let opener = layout.innermostOpen(before: number) else { return nil }
        let closer = opener.bracket == "{" ? "}" : "]"
        return Hint(line: opener.line, column: opener.column,
                    message: "the '\(opener.bracket)' here is not closed: end its entries with '\(closer)' "
                        + "(and separate entries with ',')")
    }

    /// The columns of the keys enclosing line `number`, each with its nearest key; column 0
    /// (the file's own keys) only for a line at column 0, which is the only one meant there.
    private static func keyLevels(enclosing number: Int, indent: Int,
                                  _ layout: YAMLLayout) -> [(column: Int, number: Int, line: YAMLLayout.Line)] {
        var levels: [(column: Int, number: Int, line: YAMLLayout.Line)] = []
        for (above, key) in layout.enclosingKeys(of: number) where key.key != nil && !levels.contains(where: { $0.column == key.keyColumn }) {
            if key.keyColumn > 0 || indent == 0 { levels.append((key.keyColumn, above, key)) }
        }
        return levels
    }

    private static func name(of line: YAMLLayout.Line) -> String {
        line.key.map { "'\($0)'" } ?? "the line"
    }

    private static func spaces(_ count: Int) -> String {
        count == 1 ? "1 space" : "\(count) spaces"
    }
}
