import ReflexCore
import Yams

/// Reads values out of a YAML node tree, turning every mismatch into an error at the node's own
/// line and column, naming the policy being read.
struct NodeReader {
    /// The file, for errors.
    let file: String
    /// The policy being read, once its name is known.
    var policy: String?

    func error(_ node: Node?, _ message: String) -> PolicyFileError {
        let mark = node?.mark
        return PolicyFileError(file: file, line: mark?.line ?? 1, column: mark?.column ?? 1, policy: policy, message: message)
    }

    func error(at node: Node, offset: Int, _ message: String) -> PolicyFileError {
        // Quoted scalars start one column before their text.
        let quoted = node.scalar.map { $0.style == .singleQuoted || $0.style == .doubleQuoted } ?? false
        let mark = node.mark
        return PolicyFileError(file: file, line: mark?.line ?? 1, column: (mark?.column ?? 1) + offset + (quoted ? 1 : 0),
                               policy: policy, message: message)
    }

    func mapping(_ node: Node, _ what: String, allowed: [String]) throws(PolicyFileError) -> MappingReader {
        var unknown: [PolicyFileError] = []
        let fields = try mapping(node, what, allowed: allowed, unknownKeys: &unknown)
        if let first = unknown.first { throw first }
        return fields
    }

    /// The mapping's allowed entries; every unknown key is added to `unknownKeys` instead of
    /// thrown, so that a policy with several misspelt keys reports each of them.
    func mapping(_ node: Node, _ what: String, allowed: [String], unknownKeys: inout [PolicyFileError]) throws(PolicyFileError) -> MappingReader {
        guard case let .mapping(mapping) = node else {
            throw error(node, "\(what) must be a mapping of \(allowed.map { "'\($0)'" }.joined(separator: ", "))")
        }
        var entries: [(key: String, keyNode: Node, value: Node)] = []
        var explained: Set<String> = []
        // The key above with nothing after it: keys that follow it at its own indentation
        // were most likely meant to be indented under it.
        var emptyAbove: (name: String, node: Node)?
        for (key, value) in mapping {
            guard let name = key.scalar?.string else { throw error(key, "a key in \(what) must be a plain word") }
            guard allowed.contains(name) else {
                unknownKeys.append(unknownKey(name, at: key, in: what, allowed: allowed, emptyAbove: emptyAbove))
                if let above = emptyAbove?.name { explained.insert(above) }
                continue
            }
            entries.append((name, key, value))
            let isEmpty = value.scalar.map { $0.string.isEmpty && $0.style == .plain } ?? false
            emptyAbove = isEmpty ? (name, key) : nil
        }
        return MappingReader(node: node, entries: entries, explained: explained)
    }

    private func unknownKey(_ name: String, at key: Node, in what: String, allowed: [String], emptyAbove: (name: String, node: Node)?) -> PolicyFileError {
        if let (above, aboveNode) = emptyAbove, let line = aboveNode.mark?.line, let keyLine = key.mark?.line, keyLine > line {
            return error(key, "unknown key '\(name)' in \(what); it looks meant for '\(above)' on line \(line), which is empty: "
                         + "indent '\(name)' 2 spaces more than '\(above)' to put it under it")
        }
        let hint = NearestName.closest(to: name, among: allowed).map { "; did you mean '\($0)'?" }
            ?? "; expected one of \(allowed.joined(separator: ", "))"
        return error(key, "unknown key '\(name)' in \(what)" + hint)
    }

    func string(_ node: Node, _ what: String) throws(PolicyFileError) -> String {
        guard case let .scalar(scalar) = node else { throw error(node, "\(what) must be a single value, not a list or mapping") }
        return scalar.string
    }

    func nonEmptyString(_ node: Node, _ what: String) throws(PolicyFileError) -> String {
        let value = try string(node, what)
        guard !value.allSatisfy(\.isWhitespace) else { throw error(node, "\(what) must not be empty") }
        return value
    }

    /// The largest count or capacity a policy may write; far above any real service, and small
    /// enough that no arithmetic on it overflows.
    static let largestCount = 1_000_000

    func integer(_ node: Node, _ what: String, minimum: Int = 0) throws(PolicyFileError) -> Int {
        let text = try string(node, what)
        guard let value = Int(text) else { throw error(node, "\(what) must be a whole number, found '\(text)'") }
        guard value >= minimum, value <= Self.largestCount else {
            throw error(node, "\(what) must be between \(minimum) and \(Self.largestCount), found \(value)")
        }
        return value
    }

    func signedInteger(_ node: Node, _ what: String) throws(PolicyFileError) -> Int {
        let text = try string(node, what)
        guard let value = Int(text) else { throw error(node, "\(what) must be a whole number such as +2 or -1, found '\(text)'") }
        guard abs(value) <= Self.largestCount else { throw error(node, "\(what) must be at most \(Self.largestCount) either way") }
        return value
    }

    /// A factor: greater than `lower` (zero, or one for a raise) and at most 100.
    func factor(_ node: Node, _ what: String, above lower: Int = 0) throws(PolicyFileError) -> Double {
        let text = try string(node, what)
        guard let value = Double(text), value.isFinite else { throw error(node, "\(what) must be a number, found '\(text)'") }
        guard value > Double(lower), value <= 100 else {
            throw error(node, "\(what) must be greater than \(lower) and at most 100, found \(text)")
        }
        return value
    }

    func duration(_ node: Node, _ what: String, allowNegative: Bool = false) throws(PolicyFileError) -> TimeSpan {
        let text = try string(node, what)
        guard let span = TimeSpan(parsing: text) else {
            throw error(node, "\(what) must be a duration such as 90s, 5m, 1h or 1d, found '\(text)'")
        }
        guard allowNegative || span.seconds > 0 else { throw error(node, "\(what) must be longer than zero") }
        return span
    }

    func boolean(_ node: Node, _ what: String) throws(PolicyFileError) -> Bool {
        switch try string(node, what) {
        case "true": return true
        case "false": return false
        case let other: throw error(node, "\(what) must be true or false, found '\(other)'")
        }
    }

    func stringList(_ node: Node, _ what: String) throws(PolicyFileError) -> [String] {
        guard case let .sequence(sequence) = node else { throw error(node, "\(what) must be a list such as [a, b]") }
        var values: [String] = []
        for item in sequence { values.append(try nonEmptyString(item, "each entry of \(what)")) }
        return values
    }

    func sequence(_ node: Node, _ what: String) throws(PolicyFileError) -> [Node] {
        guard case let .sequence(sequence) = node else { throw error(node, "\(what) must be a list") }
        return Array(sequence)
    }

    func choice<T: RawRepresentable>(_ node: Node, _ what: String, _: T.Type) throws(PolicyFileError) -> T
    where T: CaseIterable, T.RawValue == String {
        let text = try string(node, what)
        guard let value = T(rawValue: text) else {
            let names = T.allCases.map(\.rawValue)
            let hint = NearestName.didYouMean(text, among: names)
            throw error(node, "\(what) must be one of \(names.joined(separator: ", ")), found '\(text)'" + hint)
        }
        return value
    }
}

/// The entries of one YAML mapping whose keys have been checked against the allowed ones.
struct MappingReader {
    let node: Node
    let entries: [(key: String, keyNode: Node, value: Node)]
    /// Keys left empty whose contents an unknown key's error already explained (written
    /// below them, not indented): reading them would only repeat that error.
    var explained: Set<String> = []

    // By index, not `first(where:)`: that copies the whole entry, two nodes and a string.
    subscript(_ key: String) -> Node? { entries.firstIndex { $0.key == key }.map { entries[$0].value } }

    func keyNode(_ key: String) -> Node? { entries.firstIndex { $0.key == key }.map { entries[$0].keyNode } }

    var keys: [String] { entries.map(\.key) }

    func required(_ key: String, in what: String, reader: NodeReader) throws(PolicyFileError) -> Node {
        guard let value = self[key] else { throw reader.error(node, "\(what) needs '\(key)'") }
        return value
    }
}
