import Yams

/// Reads the fields of one policy each on its own, keeping every field's error instead of
/// stopping at the first, so that `reflex check` reports all of a policy's mistakes at once.
/// A field that depends on another (a condition on the metrics' period, an action on the
/// target) is read by the parser only when what it depends on was read, so that one mistake
/// is reported once, not again as the errors it would cause.
struct PolicyFields {
    /// The policy's keys, checked against the allowed ones.
    let fields: MappingReader
    /// The reader, naming the policy in errors.
    let reader: NodeReader
    /// Every error found so far, in the order found.
    var errors: [PolicyFileError]

    /// The node of `key`; nil when it is absent (an error if `required`) or already explained.
    mutating func node(_ key: String, required: Bool = false) -> Node? {
        guard !fields.explained.contains(key) else { return nil }
        guard let node = fields[key] else {
            if required { errors.append(reader.error(fields.node, "a policy needs '\(key)'")) }
            return nil
        }
        return node
    }

    /// What `read` makes of `key`'s node; nil when the key is absent or its value is wrong
    /// (the error kept).
    mutating func read<T>(_ key: String, required: Bool = false, _ read: (Node) throws(PolicyFileError) -> T) -> T? {
        guard let node = node(key, required: required) else { return nil }
        return attempt { () throws(PolicyFileError) in try read(node) }
    }

    /// What `body` returns, or nil with its error kept.
    mutating func attempt<T>(_ body: () throws(PolicyFileError) -> T) -> T? {
        do {
            return try body()
        } catch {
            errors.append(error)
            return nil
        }
    }
}
