import ReflexHTTP

/// What one delivery attempt came to: the receiver's status, its `Retry-After`, and the error
/// to record. Every text taken from the receiver is bounded (`ExternalText`).
struct DeliveryOutcome {
    /// The HTTP status, or nil when no response came.
    let status: Int?
    /// The receiver's `Retry-After`, if any.
    let retryAfter: String?
    /// Why the attempt did not deliver; nil when it did.
    let error: String?

    init(_ response: HTTPResponse) {
        status = response.status
        retryAfter = response.headers["retry-after"].map { ExternalText.bounded($0) }
        switch response.status {
        case 200..<300:
            error = nil
        case 300..<400:
            let location = response.headers["location"].map { ExternalText.bounded($0) } ?? "an unnamed location"
            error = "receiver answered a redirect (\(response.status)) to \(location); Reflex does not follow redirects"
        default:
            error = "HTTP \(response.status)" + (response.body.isEmpty ? "" : ": " + ExternalText.bounded(response.body))
        }
    }

    init(_ failure: any Error) {
        status = nil
        retryAfter = nil
        error = ExternalText.bounded("\(failure)")
    }
}
