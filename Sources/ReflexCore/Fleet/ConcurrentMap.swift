extension Array where Element: Sendable {
    /// `transform` applied to every element, at most `limit` at a time, results in order: a
    /// fleet's targets are read side by side, never with so many calls at once that AWS
    /// throttles them all.
    public func concurrentMap<Result: Sendable>(limit: Int, _ transform: @escaping @Sendable (Element) async -> Result) async -> [Result] {
        await withTaskGroup(of: (Int, Result).self) { group in
            var results = [Result?](repeating: nil, count: count)
            var next = 0
            func start() {
                let index = next
                let element = self[index]
                group.addTask { (index, await transform(element)) }
                next += 1
            }
            while next < count, next < Swift.max(limit, 1) { start() }
            while let (index, result) = await group.next() {
                results[index] = result
                if next < count { start() }
            }
            return results.map { $0! }
        }
    }
}
