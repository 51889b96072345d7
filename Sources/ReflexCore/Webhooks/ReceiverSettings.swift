/// A webhook receiver that policies and daemon events notify, as configured.
public struct ReceiverSettings: Hashable, Sendable {
    /// How deliveries are formatted.
    public enum Format: String, Hashable, Sendable, CaseIterable {
        case standard, slack, pagerduty
    }

    /// Where a `pagerduty` receiver delivers when its `url` is not set: PagerDuty's Events
    /// API v2.
    public static let pagerDutyEventsURL = "https://events.pagerduty.com/v2/enqueue"

    /// The receiver's name, as policies' `notify:` lists it.
    public let name: String
    /// Where deliveries are POSTed.
    public let url: String
    /// A file holding the signing secret, if any.
    public let secretFile: String?
    /// An environment variable holding the signing secret, if any.
    public let secretEnvironment: String?
    /// The payload format.
    public let format: Format
    /// Extra headers sent with every delivery.
    public let headers: [String: String]
    /// How long one delivery attempt may take.
    public let timeout: TimeSpan
    /// The file holding a `pagerduty` receiver's routing key (integration key).
    public let routingKeyFile: String?

    /// A receiver.
    public init(name: String, url: String, secretFile: String?, secretEnvironment: String?, format: Format,
                headers: [String: String], timeout: TimeSpan, routingKeyFile: String? = nil) {
        self.name = name
        self.url = url
        self.secretFile = secretFile
        self.secretEnvironment = secretEnvironment
        self.format = format
        self.headers = headers
        self.timeout = timeout
        self.routingKeyFile = routingKeyFile
    }
}
