import ReflexCore
import ReflexPolicyFile
import Testing

/// Errors that quote what a user wrote escape its control characters, so a NUL or an escape
/// sequence in a file cannot cut or repaint the line an operator reads.
struct ControlCharacterTests {
    @Test func aNulInAPolicyNameIsEscapedInItsError() throws {
        let text = "policies:\n  - name: \"cart\\0\\e[2Jrm\"\n    metrics: {}\n"
        let error = try #require(PolicyParser.parse(text, file: "p.yaml").errors.first { $0.message.hasPrefix("'name'") })
        #expect(error.description == "p.yaml:2:11: policy 'cart\\0\\u{1B}[2Jrm': 'name' must use only a-z, 0-9 and '-', found 'cart\\0\\u{1B}[2Jrm'")
    }

    @Test func aControlCharacterInAnExpressionIsEscapedInItsError() throws {
        let text = PolicyParserTests.minimal("").replacingOccurrences(of: "condition: errors > 1", with: "condition: \"errors > 1\\u202E\"")
        let error = try #require(PolicyParser.parse(text, file: "p.yaml").errors.first)
        #expect(error.description.hasSuffix("in 'condition': unexpected character '\\u{202E}'"), "\(error.description)")
    }

    @Test func aControlCharacterInAPathIsEscaped() {
        do {
            _ = try PolicyLoader.load(paths: ["/nonexistent/\u{7}\n"])
            Issue.record("a missing path loaded")
        } catch {
            #expect(error.description == "/nonexistent/\\u{7}\\n: no such file or directory")
        }
    }

    @Test func textWithoutControlCharactersIsUnchanged() {
        #expect("tab\there, é and 🙂".escapingControlCharacters == "tab\\there, é and 🙂")
        #expect("plain 'text'".escapingControlCharacters == "plain 'text'")
    }
}
