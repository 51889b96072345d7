import Foundation
import ReflexHTTP

/// A local webhook receiver (`webhook_receiver.py` beside this file) that verifies signatures
/// independently of Reflex and answers with scripted statuses.
public final class WebhookReceiver: Sendable {
    /// Where to deliver.
    public let url: URL
    private let process: Process
    private let input: Pipe
    private let http = CurlHTTPClient()

    /// One delivery as the receiver saw it.
    public struct Delivery: Decodable, Sendable {
        public let id: String?
        public let timestamp: String?
        public let signature_valid: Bool
        public let body: String
        public let status: Int
        public let at: Double
        /// What PagerDuty would refuse in the delivery; nil unless `checkPagerDuty` was called.
        public let pagerduty_errors: [String]?
    }

    private init(url: URL, process: Process, input: Pipe) {
        self.url = url
        self.process = process
        self.input = input
    }

    deinit {
        try? input.fileHandleForWriting.close()
        process.terminate()
    }

    /// Stops the receiver: from now on nothing listens on its port.
    public func stop() {
        // It serves until its standard input closes.
        try? input.fileHandleForWriting.close()
        process.waitUntilExit()
    }

    /// Starts a receiver on a free port.
    public static func start() throws -> WebhookReceiver {
        let helper = try HelperProcess.start("webhook_receiver.py")
        struct Ready: Decodable { let port: Int }
        let ready = try JSONDecoder().decode(Ready.self, from: helper.ready)
        return WebhookReceiver(url: URL(string: "http://127.0.0.1:\(ready.port)/hooks/reflex")!, process: helper.process, input: helper.input)
    }

    /// Scripts the statuses of the next deliveries (replacing what is left of an earlier script).
    public func script(_ answers: [Answer]) async throws {
        _ = try await control("/_control/script", try JSONEncoder().encode(answers))
    }

    /// A scripted answer.
    public struct Answer: Encodable, Sendable {
        let status: Int
        let retry_after: String?
        let location: String?
        let hang: Bool?
        let stream: Bool?
        let body: String?

        /// Answers `status`, with `retryAfter` and `location` headers if given; with `hang`, only
        /// once `release()` is called; with `stream`, with a body that does not end; else with
        /// `body`.
        public init(_ status: Int, retryAfter: String? = nil, location: String? = nil, hang: Bool? = nil, stream: Bool? = nil,
                    body: String? = nil) {
            self.status = status
            self.retry_after = retryAfter
            self.location = location
            self.hang = hang
            self.stream = stream
            self.body = body
        }
    }

    /// A URL on the receiver answering GET (a health probe) with the status `answerProbes` set, 200 at first.
    public var probeURL: URL { URL(string: "/ready", relativeTo: url)!.absoluteURL }

    /// Sets the status probes of `probeURL` get from now on.
    public func answerProbes(with status: Int) async throws {
        _ = try await control("/_control/probe", Data(#"{"status": \#(status)}"#.utf8))
    }

    /// From now on checks every delivery as PagerDuty's Events API v2 would, expecting
    /// `routingKey`, and answers as it does (202, or 400 with the errors) unless scripted.
    public func checkPagerDuty(routingKey: String) async throws {
        _ = try await control("/_control/pagerduty", try JSONEncoder().encode(["routing_key": routingKey]))
    }

    /// Lets every hanging delivery (and every later one) answer.
    public func release() async throws {
        _ = try await control("/_control/release", Data())
    }

    /// Sets the secrets the receiver verifies signatures with.
    public func verify(with secrets: [String]) async throws {
        _ = try await control("/_control/secrets", try JSONEncoder().encode(secrets))
    }

    /// Every delivery received so far, in arrival order.
    public func received() async throws -> [Delivery] {
        let response = try await http.send(HTTPRequest(method: "GET", url: url.deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("_control/received")))
        return try JSONDecoder().decode([Delivery].self, from: response.body)
    }

    private func control(_ path: String, _ body: Data) async throws -> Data {
        let base = url.deletingLastPathComponent().deletingLastPathComponent()
        let response = try await http.send(HTTPRequest(method: "POST", url: base.appendingPathComponent(path), body: body))
        guard response.status == 200 else { throw EmulatorError("\(path): HTTP \(response.status)") }
        return response.body
    }
}
