/// `${name}` variables in a fleet policy's dimension values.
public enum TemplateText {
    /// A variable's name and the character offset of its `${` in the text.
    public struct Variable: Hashable, Sendable {
        /// The name between the braces.
        public let name: String
        /// Where `${` starts, in characters from the start of the text.
        public let offset: Int
    }

    /// The variables in `text`, in order. An unclosed `${` is returned with the rest of the
    /// text as its name, so that a check reports it rather than sending it to CloudWatch.
    public static func variables(in text: String) -> [Variable] {
        var found: [Variable] = []
        let characters = Array(text)
        var index = 0
        while index + 1 < characters.count {
            guard characters[index] == "$", characters[index + 1] == "{" else {
                index += 1
                continue
            }
            let close = characters[(index + 2)...].firstIndex(of: "}")
            found.append(Variable(name: String(characters[(index + 2)..<(close ?? characters.count)]), offset: index))
            index = (close ?? characters.count) + 1
        }
        return found
    }

    /// `text` with every variable replaced by its value; nil when one has no value.
    public static func resolve(_ text: String, with values: [String: String]) -> String? {
        guard text.contains("${") else { return text }
        var result = ""
        let characters = Array(text)
        var index = 0
        while index < characters.count {
            if index + 1 < characters.count, characters[index] == "$", characters[index + 1] == "{" {
                guard let close = characters[(index + 2)...].firstIndex(of: "}"),
                      let value = values[String(characters[(index + 2)..<close])] else { return nil }
                result += value
                index = close + 1
            } else {
                result.append(characters[index])
                index += 1
            }
        }
        return result
    }
}
