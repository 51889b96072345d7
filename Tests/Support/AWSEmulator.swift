import Foundation
import Logging
import ReflexAWS
import ReflexCore
import ReflexHTTP

/// A local AWS for tests: moto's server behind a fault injector and call counter
/// (`aws_emulator.py` beside this file), on 127.0.0.1 and a free port. It stops when the test
/// process closes its standard input, so it never outlives the tests.
public final class AWSEmulator: Sendable {
    /// Where to send requests.
    public let endpoint: URL
    /// The credentials to sign with (with `auth`, a real key of the emulator's IAM).
    public let accessKeyID: String
    public let secretAccessKey: String
    private let process: Process
    private let input: Pipe
    private let http = CurlHTTPClient()

    /// A fault the emulator answers instead of the next request whose `X-Amz-Target`
    /// contains `target`.
    public struct Fault: Encodable, Sendable {
        public let target: String
        public let status: Int?
        public let code: String?
        public let delay: Double?
        public let count: Int
        public let message_bytes: Int?
        public let next_token: String?
        public let stream: Bool?
        public let body: String?
        /// Only requests whose body contains this text get the fault.
        public let match: String?
        /// Seconds the real answer is held after it was made: a read that reflects the moment
        /// it was served, not the moment it arrives.
        public let delay_after: Double?

        /// `count` answers of HTTP `status` with error `code` (its message `messageBytes` long),
        /// after `delay` seconds; or, with `nextToken`, 200 with no results and that `NextToken`
        /// (`{n}` in it counts up); or, with `stream`, 200 with a body that does not end; or, with
        /// `body`, that body as `text/xml` with `status` (200 if nil).
        public init(target: String, status: Int? = nil, code: String? = nil, delay: Double? = nil, count: Int = 1,
                    messageBytes: Int? = nil, nextToken: String? = nil, stream: Bool? = nil, body: String? = nil, match: String? = nil,
                    delayAfter: Double? = nil) {
            self.target = target
            self.status = status
            self.code = code
            self.delay = delay
            self.count = count
            self.message_bytes = messageBytes
            self.next_token = nextToken
            self.stream = stream
            self.body = body
            self.match = match
            self.delay_after = delayAfter
        }
    }

    private init(endpoint: URL, accessKeyID: String, secretAccessKey: String, process: Process, input: Pipe) {
        self.endpoint = endpoint
        self.accessKeyID = accessKeyID
        self.secretAccessKey = secretAccessKey
        self.process = process
        self.input = input
    }

    deinit {
        try? input.fileHandleForWriting.close()
        process.terminate()
    }

    /// Stops the emulator and waits until it has exited (a large one takes a while), so that
    /// what runs next has the machine to itself.
    public func stop() {
        try? input.fileHandleForWriting.close()
        process.waitUntilExit()
    }

    /// Starts an emulator; with `auth`, IAM authentication is on and signatures are checked.
    /// With `serialDynamoDB`, it serves DynamoDB one request at a time: moto checks a condition
    /// and then writes without a lock, so only then are conditional writes atomic, as DynamoDB's are.
    public static func start(auth: Bool = false, serialDynamoDB: Bool = false) throws -> AWSEmulator {
        let helper = try HelperProcess.start("aws_emulator.py", arguments: (auth ? ["--auth"] : []) + (serialDynamoDB ? ["--serial-dynamodb"] : []))
        struct Ready: Decodable { let port: Int; let access_key_id: String?; let secret_access_key: String? }
        let ready = try JSONDecoder().decode(Ready.self, from: helper.ready)
        return AWSEmulator(endpoint: URL(string: "http://127.0.0.1:\(ready.port)")!, accessKeyID: ready.access_key_id ?? "testing",
                           secretAccessKey: ready.secret_access_key ?? "testing", process: helper.process, input: helper.input)
    }

    /// The environment a Reflex process needs to use this emulator.
    public var environment: [String: String] {
        ["AWS_ENDPOINT_URL": endpoint.absoluteString, "AWS_ACCESS_KEY_ID": accessKeyID, "AWS_SECRET_ACCESS_KEY": secretAccessKey,
         "AWS_REGION": "us-east-1", "AWS_EC2_METADATA_DISABLED": "true"]
    }

    /// A client for `service` signed with `secret` (default: the right one).
    public func client(_ service: AWSService, secret: String? = nil, retry: RetryPolicy = RetryPolicy(baseDelay: .milliseconds(10)),
                       timeout: Duration = .seconds(10), logger: Logger = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })) -> AWSClient {
        var variables = environment
        if let secret { variables["AWS_SECRET_ACCESS_KEY"] = secret }
        return AWSClient(service: service, region: "us-east-1", endpoint: endpoint, http: http,
                         credentials: CredentialChain(environment: AWSEnvironment(variables: variables), http: http),
                         retry: retry, logger: logger, timeout: timeout)
    }

    /// Queues faults.
    public func inject(_ faults: [Fault]) async throws {
        _ = try await control("POST", "/_reflex/faults", body: try JSONEncoder().encode(faults))
    }

    /// Drops the faults still queued.
    public func clearFaults() async throws {
        _ = try await control("DELETE", "/_reflex/faults")
    }

    /// Requests per operation (`X-Amz-Target`) since the last reset; `reset` starts counting anew.
    public func calls(reset: Bool = false) async throws -> [String: Int] {
        try await traffic(reset: reset).operations
    }

    /// Every AWS request the emulator served since the last reset, of any protocol, with the
    /// bytes of the request and response bodies; `reset` starts counting anew.
    public func traffic(reset: Bool = false) async throws -> Traffic {
        try JSONDecoder().decode(Traffic.self, from: try await control(reset ? "DELETE" : "GET", "/_reflex/traffic"))
    }

    func control(_ method: String, _ path: String, body: Data = Data()) async throws -> Data {
        let response = try await http.send(HTTPRequest(method: method, url: endpoint.appendingPathComponent(path),
                                                        headers: [("Content-Type", "application/json")], body: body))
        guard response.status == 200 else {
            throw EmulatorError("\(method) \(path): HTTP \(response.status) \(String(decoding: response.body.prefix(2000), as: UTF8.self))")
        }
        return response.body
    }

    /// Puts datapoints of one metric, in batches CloudWatch accepts.
    public func putMetricData(namespace: String, metric: String, dimensions: [String: String], points: [(Date, Double)]) async throws {
        try await putMetricData(namespace: namespace, series: [SeededSeries(metric: metric, dimensions: dimensions, points: points)])
    }

    /// Puts datapoints of many metrics, 500 datapoints to a call.
    public func putMetricData(namespace: String, series: [SeededSeries]) async throws {
        struct Input: Encodable, Sendable {
            struct Datum: Encodable, Sendable {
                struct Dimension: Encodable, Sendable { let Name: String; let Value: String }
                let MetricName: String
                let Dimensions: [Dimension]
                let Timestamp: Date
                let Value: Double
            }
            let Namespace: String
            let MetricData: [Datum]
        }
        struct Output: Decodable, Sendable {}
        let data = series.flatMap { series in
            let dimensions = series.dimensions.map { Input.Datum.Dimension(Name: $0.name, Value: $0.value) }
            return series.points.map { Input.Datum(MetricName: series.metric, Dimensions: dimensions, Timestamp: $0.0, Value: $0.1) }
        }
        let cloudWatch = client(.cloudWatch)
        for first in stride(from: 0, to: data.count, by: 500) {
            let batch = Array(data[first..<min(first + 500, data.count)])
            _ = try await cloudWatch.call("PutMetricData", Input(Namespace: namespace, MetricData: batch), as: Output.self)
        }
    }
}

/// Datapoints of one metric to put into the emulator.
public struct SeededSeries: Sendable {
    public let metric: String
    /// The dimensions in the order they are put: moto matches a query's dimensions only in
    /// that order (CloudWatch in any).
    public let dimensions: [(name: String, value: String)]
    public let points: [(Date, Double)]

    /// A series whose dimensions are put sorted by name.
    public init(metric: String, dimensions: [String: String], points: [(Date, Double)]) {
        self.init(metric: metric, orderedDimensions: dimensions.sorted { $0.key < $1.key }.map { (name: $0.key, value: $0.value) }, points: points)
    }

    /// A series whose dimensions are put in exactly this order.
    public init(metric: String, orderedDimensions: [(name: String, value: String)], points: [(Date, Double)]) {
        self.metric = metric
        self.dimensions = orderedDimensions
        self.points = points
    }
}

/// Requests served by the emulator and their body sizes.
public struct Traffic: Decodable, Sendable {
    public let requests: Int
    public let requestBytes: Int
    public let responseBytes: Int
    /// Requests per operation (`X-Amz-Target`, or the operation named in the path).
    public let operations: [String: Int]

    enum CodingKeys: String, CodingKey {
        case requests, operations
        case requestBytes = "request_bytes"
        case responseBytes = "response_bytes"
    }
}

/// A failure of the emulator harness itself.
public struct EmulatorError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}

extension AWSEmulator {
    /// Creates the cart-service world of the runbook; returns the task definition ARNs, oldest first.
    @discardableResult
    public func seedCartService() async throws -> [String] {
        struct Seeded: Decodable { let taskDefinitions: [String] }
        return try JSONDecoder().decode(Seeded.self, from: try await control("POST", "/_reflex/seed/cart-service")).taskDefinitions
    }
}

extension AWSEmulator {
    /// The task definition ecommerce/cart-service runs now.
    public func describeServiceTaskDefinition() async throws -> String {
        try await ECSClient(client: client(.ecs)).describeService(cluster: "ecommerce", service: "cart-service").taskDefinition ?? ""
    }
}

extension AWSEmulator {
    /// The id of ecommerce/cart-service's newest deployment.
    public func newestDeploymentID() async throws -> String? {
        try await ECSClient(client: client(.ecs)).describeService(cluster: "ecommerce", service: "cart-service").newestDeployment?.id
    }
}
