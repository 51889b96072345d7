import Foundation
import Logging
import ReflexHTTP

/// Calls one AWS service over its JSON or query protocol: signs each attempt, retries by the
/// retry policy, decodes errors, and logs every attempt (operation, status, error code,
/// request id, duration: never headers, bodies or credentials).
public struct AWSClient: Sendable {
    /// The service called.
    public let service: AWSService
    /// The region signed for.
    public let region: String
    /// Where requests go.
    public let endpoint: URL
    let http: any HTTPClient
    let credentials: any CredentialSource
    let retry: RetryPolicy
    let logger: Logger
    let timeout: Duration

    /// A client for `service`.
    public init(service: AWSService, region: String, endpoint: URL, http: any HTTPClient, credentials: any CredentialSource,
                retry: RetryPolicy, logger: Logger, timeout: Duration = .seconds(10)) {
        self.service = service
        self.region = region
        self.endpoint = endpoint
        self.http = http
        self.credentials = credentials
        self.retry = retry
        self.logger = logger
        self.timeout = timeout
    }

    /// The largest AWS answer read. A full GetMetricData page (100,800 datapoints over 500
    /// queries) is a few MB of JSON; anything near this is not an answer but a runaway stream.
    public static let maxResponseBytes = 64 << 20

    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .secondsSince1970
        return encoder
    }()

    static let decoder: JSONDecoder = {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .secondsSince1970
        return decoder
    }()

    /// Calls `operation` of a JSON-protocol service with `input` and decodes the answer as
    /// `Output`. Returns the output and the AWS request id.
    public func call<Input: Encodable & Sendable, Output: Decodable & Sendable>(
        _ operation: String, _ input: Input, as _: Output.Type = Output.self
    ) async throws -> (output: Output, requestID: String?) {
        try await call(operation, input, as: Output.self, failure: { error, _ in error })
    }

    /// `call(_:_:as:)`, with the final failure (after any retries) handed to `failure` with the
    /// error body, for errors whose body carries more than a code and message (DynamoDB's
    /// `TransactionCanceledException` lists a reason per item). `failure` returns what to throw.
    func call<Input: Encodable & Sendable, Output: Decodable & Sendable>(
        _ operation: String, _ input: Input, as _: Output.Type = Output.self, failure: (AWSError, Data) -> any Error
    ) async throws -> (output: Output, requestID: String?) {
        guard case let .json(version, targetPrefix) = service.wireProtocol else {
            preconditionFailure("\(service.rawValue) does not speak the JSON protocol")
        }
        let headers = [("Content-Type", "application/x-amz-json-\(version)"), ("X-Amz-Target", "\(targetPrefix).\(operation)")]
            + (service.isQueryCompatible ? [("x-amzn-query-mode", "true")] : [])
        return try await perform(operation, body: try Self.encoder.encode(input), headers: headers, signed: true, failure: failure) { body in
            try Self.decoder.decode(Output.self, from: body)
        }
    }

    /// Calls `action` of a query-protocol service with form `parameters` (names as the query
    /// protocol flattens them, e.g. `TargetGroupArns.member.1`) and reads the XML answer.
    /// Returns the answer's root element and the AWS request id. An action that AWS serves
    /// without authentication (STS AssumeRoleWithWebIdentity, whose proof of identity is a
    /// parameter) is sent unsigned: it then needs no credentials at all.
    func callQuery(_ action: String, _ parameters: [(name: String, value: String)], signed: Bool = true)
        async throws -> (output: XMLTree, requestID: String?) {
        guard case let .query(apiVersion) = service.wireProtocol else {
            preconditionFailure("\(service.rawValue) does not speak the query protocol")
        }
        let body = QueryForm.encode([("Action", action), ("Version", apiVersion)] + parameters)
        let (reply, requestID) = try await perform(action, body: body, headers: [("Content-Type", QueryForm.contentType)], signed: signed) { body in
            try XMLTree.parse(body)
        }
        // Query replies also carry the id in their body, should a proxy have dropped the header.
        return (reply, requestID ?? reply.element("ResponseMetadata", "RequestId")?.text)
    }

    /// Sends one operation's request until it succeeds or the retry policy gives up, and
    /// decodes the answer with `decode`. An answer that cannot be decoded is an
    /// `invalidResponse`, which no retry would mend.
    private func perform<Output>(_ operation: String, body: Data, headers: [(name: String, value: String)], signed: Bool,
                                 failure: (AWSError, Data) -> any Error = { error, _ in error },
                                 decode: (Data) throws -> Output) async throws -> (output: Output, requestID: String?) {
        var attempt = 1
        while true {
            // The body of this attempt's error answer, if it was one.
            var errorBody = Data()
            // Between attempts too: a cancelled caller (shutdown) makes no further request.
            try Task.checkCancellation()
            let started = ContinuousClock.now
            do {
                let response = try await send(body: body, headers: headers, signed: signed)
                let requestID = response.headers["x-amzn-requestid"]
                guard (200..<300).contains(response.status) else {
                    errorBody = response.body
                    throw AWSErrorDecoder.decode(response)
                }
                logger.debug("aws call", metadata: metadata(operation, attempt, started, status: response.status, requestID: requestID))
                await retry.recordSuccess(afterRetries: attempt - 1)
                do {
                    return (try decode(response.body), requestID)
                } catch {
                    throw AWSError.invalidResponse("\(service.rawValue) \(operation): " + ExternalText.bounded("\(error)"))
                }
            } catch let error as AWSError {
                var details = metadata(operation, attempt, started, status: nil, requestID: nil)
                details["error"] = "\(error)"
                guard let delay = await retry.delay(beforeRetry: attempt, after: error) else {
                    logger.warning("aws call failed", metadata: details)
                    throw failure(error, errorBody)
                }
                details["retry_in_ms"] = "\(delay.milliseconds)"
                logger.info("aws call retried", metadata: details)
                try await Task.sleep(for: delay)
                attempt += 1
            }
        }
    }

    private func send(body: Data, headers: [(name: String, value: String)], signed: Bool) async throws -> HTTPResponse {
        var request = HTTPRequest(method: "POST", url: endpoint, headers: headers, body: body, connectTimeout: .seconds(3),
                                  timeout: timeout, maxResponseBytes: Self.maxResponseBytes)
        if signed {
            SigV4Signer.sign(&request, credentials: try await credentials.credentials(), region: region, service: service.signingName, date: Date())
        }
        do {
            return try await http.send(request)
        } catch let error as HTTPError {
            throw AWSError.transport(error)
        }
    }

    private func metadata(_ operation: String, _ attempt: Int, _ started: ContinuousClock.Instant, status: Int?, requestID: String?) -> Logger.Metadata {
        var metadata: Logger.Metadata = [
            "service": "\(service.endpointPrefix)", "operation": "\(operation)", "attempt": "\(attempt)",
            "duration_ms": "\((ContinuousClock.now - started).milliseconds)",
        ]
        if let status { metadata["status"] = "\(status)" }
        if let requestID { metadata["request_id"] = "\(requestID)" }
        return metadata
    }
}

extension AWSClient {
    /// A client for `service` in `region` at the endpoint `environment` resolves for it (the
    /// SDKs' `AWS_ENDPOINT_URL_*` overrides, else AWS's regional endpoint).
    init(service: AWSService, region: String, environment: AWSEnvironment, http: any HTTPClient, credentials: any CredentialSource,
         retry: RetryPolicy, logger: Logger, timeout: Duration = .seconds(10)) throws {
        guard let endpoint = environment.endpoint(for: service, region: region) else {
            throw AWSError.invalidResponse("\(service.endpointVariable) is not a URL")
        }
        self.init(service: service, region: region, endpoint: endpoint, http: http, credentials: credentials, retry: retry, logger: logger,
                  timeout: timeout)
    }
}
