/// Follows a listing's pages, and refuses paging that would not end: a token that comes back
/// a second time, or more pages than any real account fills. Such a listing fails, so that a
/// broken or hostile endpoint cannot keep discovery calling forever.
struct Paging {
    /// The most pages one listing may take: at 100 resources a page, 100,000 resources.
    static let maxPages = 1000

    private let operation: String
    private let maxPages: Int
    private var pages = 0
    private var tokensSeen: Set<String> = []

    /// Every item of a listing of `operation`: `page` reads the page a token names (nil: the
    /// first) and returns its items and the token of the next page.
    static func all<Item: Sendable>(_ operation: String, _ page: (String?) async throws -> (items: [Item], next: String?)) async throws -> [Item] {
        var paging = Paging(operation)
        var items: [Item] = []
        var token: String?
        repeat {
            let read = try await page(token)
            items += read.items
            token = try paging.next(after: read.next)
        } while token != nil
        return items
    }

    /// Paging of `operation`, named in errors.
    init(_ operation: String, maxPages: Int = Paging.maxPages) {
        self.operation = operation
        self.maxPages = maxPages
    }

    /// Counts the page just read, whose answer carried `token`, and returns the token to ask
    /// for the next page with, or nil when that was the last page (no token, or an empty one,
    /// which is how GetResources says so).
    mutating func next(after token: String?) throws -> String? {
        pages += 1
        guard let token, !token.isEmpty else { return nil }
        guard tokensSeen.insert(token).inserted else {
            throw AWSError.invalidResponse("\(operation) repeated a page token; paging would not end")
        }
        guard pages < maxPages else {
            throw AWSError.invalidResponse("\(operation): paging did not end after \(maxPages) pages")
        }
        return token
    }
}
