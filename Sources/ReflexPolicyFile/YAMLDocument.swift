import Yams

/// Parses YAML text into a node tree, turning every Yams failure into a positioned error.
/// Anchors and aliases are refused first (see `YAMLAnchorCheck`).
enum YAMLDocument {
    /// The root node of `text`, or nil for an empty document.
    static func root(of text: String, file: String) throws(PolicyFileError) -> Node? {
        try YAMLAnchorCheck.refuseAnchors(in: text, file: file)
        do {
            // The basic resolver: Reflex reads every scalar as text itself, and implicit tag
            // resolution (regular expressions per scalar) dominated the time to load policies.
            return try Yams.compose(yaml: text, .basic)
        } catch let error as YamlError {
            throw positioned(error, file: file, text: text)
        } catch {
            throw PolicyFileError(file: file, line: 1, column: 1, message: "cannot read YAML: \(error)")
        }
    }

    private static func positioned(_ error: YamlError, file: String, text: String) -> PolicyFileError {
        func make(_ mark: Mark, _ problem: String, _ context: YamlError.Context?) -> PolicyFileError {
            if let hint = YAMLStructureHint.explain(problem, line: mark.line, column: mark.column, in: text) {
                return PolicyFileError(file: file, line: hint.line, column: hint.column, message: hint.message)
            }
            let detail = context.map { "\(problem) \($0.text)" } ?? problem
            return PolicyFileError(file: file, line: mark.line, column: mark.column, message: "YAML syntax error: \(detail)")
        }
        switch error {
        case let .scanner(context, problem, mark, _), let .parser(context, problem, mark, _), let .composer(context, problem, mark, _):
            return make(mark, problem, context)
        case let .duplicatedKeysInMapping(duplicates, context):
            return PolicyFileError(file: file, line: context.mark.line, column: context.mark.column,
                                   message: "duplicate key \(duplicates.joined(separator: ", ")) in a mapping")
        case let .reader(problem, _, _, _):
            return PolicyFileError(file: file, line: 1, column: 1, message: "cannot read the file as text: \(problem)")
        default:
            return PolicyFileError(file: file, line: 1, column: 1, message: "cannot read YAML")
        }
    }
}
