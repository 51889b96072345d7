/// Sends HTTP requests. The one seam between Reflex and the network.
public protocol HTTPClient: Sendable {
    /// Sends `request` and returns the response, or throws `HTTPError` when there was none.
    func send(_ request: HTTPRequest) async throws -> HTTPResponse
}
