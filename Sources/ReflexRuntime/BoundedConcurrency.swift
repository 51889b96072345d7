/// Runs `body` for every item, at most `limit` at a time: a fleet's targets are read side by
/// side, but never with so many calls at once that AWS throttles them all.
func forEachConcurrently<Item: Sendable>(_ items: [Item], limit: Int, _ body: @escaping @Sendable (Item) async -> Void) async {
    await withTaskGroup(of: Void.self) { group in
        var next = items.startIndex
        while next < items.endIndex, next - items.startIndex < limit {
            let item = items[next]
            group.addTask { await body(item) }
            next += 1
        }
        while await group.next() != nil, next < items.endIndex {
            let item = items[next]
            group.addTask { await body(item) }
            next += 1
        }
    }
}
