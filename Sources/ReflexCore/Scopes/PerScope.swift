import Foundation

/// One value per account and region, made the first time that scope is asked for and kept:
/// the clients, credentials and series sources of an account are built once, whichever
/// policy or cycle needs them first. A value that could not be made is not kept, so the next
/// request tries again.
public final class PerScope<Value: Sendable>: @unchecked Sendable {
    private let make: @Sendable (Scope) throws -> Value
    // Guards `made`: callers come from concurrent fetches and actions.
    private let lock = NSLock()
    private var made: [Scope: Value] = [:]

    /// Values made by `make`.
    public init(_ make: @escaping @Sendable (Scope) throws -> Value) {
        self.make = make
    }

    /// The value for `scope`.
    public func callAsFunction(_ scope: Scope) throws -> Value {
        try lock.withLock {
            if let value = made[scope] { return value }
            let value = try make(scope)
            made[scope] = value
            return value
        }
    }
}
