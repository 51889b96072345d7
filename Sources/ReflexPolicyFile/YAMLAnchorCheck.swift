// libyaml as Yams builds it: its event stream is the only place an alias can be seen before
// Yams expands it into the node tree.
import CYaml

/// Refuses YAML anchors (`&name`) and aliases (`*name`) in Reflex's files. Yams resolves an
/// alias by sharing the anchored node, and then hashes every mapping key to find duplicates, so
/// a few hundred bytes of aliases nested as keys cost minutes of hashing. The check reads
/// libyaml's events, which know where a node starts, so a `*` inside a quoted string, a comment
/// or an expression such as `a * b` is never mistaken for an alias.
enum YAMLAnchorCheck {
    /// Throws at the first anchor or alias in `text`. A syntax error ends the check quietly:
    /// Yams reports it with its own message when it reads the same text.
    static func refuseAnchors(in text: String, file: String) throws(PolicyFileError) {
        var bytes = Array(text.utf8)
        let found = bytes.withUnsafeMutableBufferPointer { firstAnchorOrAlias(in: $0) }
        guard let (mark, what) = found else { return }
        throw PolicyFileError(file: file, line: mark.line + 1, column: mark.column + 1,
                              message: "YAML \(what) is not allowed in Reflex files; write the value out in full")
    }

    private static func firstAnchorOrAlias(in bytes: UnsafeMutableBufferPointer<UInt8>) -> (yaml_mark_t, String)? {
        var parser = yaml_parser_t()
        guard yaml_parser_initialize(&parser) == 1 else { return nil }
        defer { yaml_parser_delete(&parser) }
        yaml_parser_set_encoding(&parser, YAML_UTF8_ENCODING)
        yaml_parser_set_input_string(&parser, bytes.baseAddress, bytes.count)
        while true {
            var event = yaml_event_t()
            guard yaml_parser_parse(&parser, &event) == 1 else { return nil }
            defer { yaml_event_delete(&event) }
            if event.type == YAML_STREAM_END_EVENT { return nil }
            let anchor: UnsafeMutablePointer<yaml_char_t>? = switch event.type {
            case YAML_ALIAS_EVENT: event.data.alias.anchor
            case YAML_SCALAR_EVENT: event.data.scalar.anchor
            case YAML_SEQUENCE_START_EVENT: event.data.sequence_start.anchor
            case YAML_MAPPING_START_EVENT: event.data.mapping_start.anchor
            default: nil
            }
            guard let anchor else { continue }
            let name = String(cString: anchor)
            return (event.start_mark, event.type == YAML_ALIAS_EVENT ? "alias '*\(name)'" : "anchor '&\(name)'")
        }
    }
}
