/// Why the coordination table cannot be used. Reflex refuses to start on the first four: a
/// highly available pair without its shared table would be two leaders. Descriptions name the
/// table, the permission a refusal points to, and AWS's error (never credentials).
public enum CoordinationTableError: Error, Hashable, Sendable, CustomStringConvertible {
    /// DescribeTable failed (other than "no such table").
    case cannotDescribe(table: String, error: String)
    /// The table did not exist and CreateTable failed.
    case cannotCreate(table: String, error: String)
    /// The table exists with another key than `pk` (S, HASH) + `sk` (S, RANGE).
    case wrongKeySchema(table: String, found: String)
    /// The table did not become usable (ACTIVE) in time, or is being deleted.
    case notActive(table: String, status: String)
    /// An item Reflex reads is not as Reflex writes it.
    case malformedItem(table: String, detail: String)
    /// `commitAction` wrote an action whose key and time are already taken (the lease held).
    case actionExists(table: String, key: String)

    public var description: String {
        switch self {
        case let .cannotDescribe(table, error):
            "cannot read the coordination table \(table) (Reflex needs dynamodb:DescribeTable on it): \(error)"
        case let .cannotCreate(table, error):
            "the coordination table \(table) does not exist and cannot be created (Reflex needs dynamodb:CreateTable on it, "
                + "or create it with key pk (S, HASH) and sk (S, RANGE)): \(error)"
        case let .wrongKeySchema(table, found):
            "the coordination table \(table) has the key \(found); Reflex needs pk (S, HASH) and sk (S, RANGE): "
                + "name another table, or delete this one"
        case let .notActive(table, status):
            "the coordination table \(table) is \(status), not ACTIVE"
        case let .malformedItem(table, detail):
            "an item of the coordination table \(table) is not as Reflex writes it: \(detail)"
        case let .actionExists(table, key):
            "the coordination table \(table) already has an action \(key) at that time"
        }
    }
}
