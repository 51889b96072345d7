/// A lexical token of the expression language, with where it starts in the text.
struct ExpressionToken: Equatable {
    enum Kind: Equatable {
        case number(Double)
        case duration(TimeSpan)
        case identifier(String)
        case symbol(String)
        case end
    }

    let kind: Kind
    /// Zero-based character offset.
    let offset: Int
    /// The token as written, for error messages.
    let text: String
}

/// Splits expression text into tokens. Durations (`15m`) are single tokens so that window
/// arguments cannot be confused with arithmetic.
public enum ExpressionLexer {
    /// The most tokens (numbers, names, durations, operators, parentheses, commas) one
    /// expression may hold: thousands of terms, far beyond any real policy, yet a bound on the
    /// depth of the tree a long chain such as `a and b and ...` builds.
    public static let maximumTokens = 4_096

    private static let symbols = ["<=", ">=", "==", "!=", "<", ">", "+", "-", "*", "/", "(", ")", ","]

    static func tokens(of text: String) throws(ExpressionError) -> [ExpressionToken] {
        let characters = Array(text)
        var tokens: [ExpressionToken] = []
        var index = 0
        while index < characters.count {
            let character = characters[index]
            if character == " " || character.isWhitespace {
                index += 1
                continue
            }
            guard tokens.count < maximumTokens else {
                throw ExpressionError(offset: index, message: "the expression is longer than \(maximumTokens) tokens")
            }
            if character.isASCIIDigit || character == "." {
                let start = index
                let numberEnd = endOfDecimal(in: characters, from: index)
                index = numberEnd
                // Letters after a number make a duration (15m, 1h30m) or a mistake (0x10, 5k).
                while index < characters.count, characters[index].isASCIILetter || characters[index].isASCIIDigit {
                    index += 1
                }
                let word = String(characters[start..<index])
                if index == numberEnd, let value = Double(word), value.isFinite {
                    tokens.append(ExpressionToken(kind: .number(value), offset: start, text: word))
                } else if let span = TimeSpan(parsing: word) {
                    tokens.append(ExpressionToken(kind: .duration(span), offset: start, text: word))
                } else {
                    throw ExpressionError(offset: start, message: "'\(word)' is neither a number nor a duration such as 15m; numbers are decimal, such as 0.5 or 1e-3")
                }
            } else if character.isASCIILetter || character == "_" {
                let start = index
                while index < characters.count, characters[index].isASCIILetter || characters[index].isASCIIDigit || characters[index] == "_" {
                    index += 1
                }
                tokens.append(ExpressionToken(kind: .identifier(String(characters[start..<index])), offset: start,
                                              text: String(characters[start..<index])))
            } else if let symbol = symbols.first(where: { matches($0, characters, at: index) }) {
                tokens.append(ExpressionToken(kind: .symbol(symbol), offset: index, text: symbol))
                index += symbol.count
            } else {
                throw ExpressionError(offset: index, message: "unexpected character '\(character)'")
            }
        }
        tokens.append(ExpressionToken(kind: .end, offset: characters.count, text: "end of expression"))
        return tokens
    }

    /// Where the decimal number starting at `start` ends: digits and points, then an optional
    /// exponent (`e`, an optional sign, digits). Only this much is handed to `Double`, which
    /// would otherwise also read hexadecimal such as `0x10`.
    private static func endOfDecimal(in characters: [Character], from start: Int) -> Int {
        var index = start
        while index < characters.count, characters[index].isASCIIDigit || characters[index] == "." { index += 1 }
        guard index < characters.count, characters[index] == "e" || characters[index] == "E" else { return index }
        var exponent = index + 1
        if exponent < characters.count, characters[exponent] == "+" || characters[exponent] == "-" { exponent += 1 }
        guard exponent < characters.count, characters[exponent].isASCIIDigit else { return index }
        while exponent < characters.count, characters[exponent].isASCIIDigit { exponent += 1 }
        return exponent
    }

    private static func matches(_ symbol: String, _ characters: [Character], at index: Int) -> Bool {
        index + symbol.count <= characters.count && zip(symbol, characters[index...]).allSatisfy { $0 == $1 }
    }
}

// Only ASCII digits and letters make numbers and names. Testing the byte avoids the Unicode
// property tables behind `isLetter` and `isNumber` (a tenth of start-up with 1,000 policies).
private extension Character {
    var isASCIIDigit: Bool { asciiValue.map { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) } ?? false }
    var isASCIILetter: Bool {
        asciiValue.map { (UInt8(ascii: "a")...UInt8(ascii: "z")).contains($0) || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains($0) } ?? false
    }
}
