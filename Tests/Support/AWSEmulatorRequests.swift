import Foundation

/// A request the emulator recorded, checked against the official AWS model of its operation.
public struct RecordedRequest: Decodable, Sendable, CustomStringConvertible {
    /// The operation (`GetResources`, `DescribeTargetGroups`, ...).
    public let operation: String
    /// The botocore name of the service (`resourcegroupstaggingapi`, `elbv2`, ...).
    public let service: String
    /// What the model refuses in the request; empty when the request is a valid call.
    public let problems: [String]

    public var description: String {
        "\(service).\(operation)" + (problems.isEmpty ? "" : ": " + problems.joined(separator: "; "))
    }
}

/// A recorded request of one operation with its parameters decoded, and when it arrived.
public struct RecordedCall<Parameters: Decodable & Sendable>: Sendable {
    /// What the model refuses in the request; empty when the request is a valid call.
    public let problems: [String]
    /// The parameters, as botocore read them from the request.
    public let params: Parameters
    /// When the emulator received the request, in seconds since 1970.
    public let at: Double
}

/// One call the emulator makes on itself with boto3, AWS's own Python SDK: how tests build
/// their worlds as a real client would. `parameters` is the call's keyword arguments as a JSON
/// object.
public struct Boto3Call: Encodable, Sendable {
    public let service: String
    public let operation: String
    public let params_json: String
    /// The role whose account the call is made in (with credentials AssumeRole issued); nil:
    /// the emulator's default account.
    public let role_arn: String?

    /// `service` (boto3's name, e.g. `elbv2`) called with `operation` (e.g. `create_target_group`),
    /// in the account of `role` when one is given.
    public init(_ service: String, _ operation: String, _ parameters: String = "{}", role: String? = nil) {
        self.service = service
        self.operation = operation
        self.params_json = parameters
        self.role_arn = role
    }
}

extension AWSEmulator {
    /// Starts recording the AWS requests Reflex makes (the emulator's own boto3 calls are left
    /// out), forgetting those recorded before.
    public func startRecordingRequests() async throws {
        _ = try await control("POST", "/_reflex/requests")
    }

    /// The requests recorded since `startRecordingRequests`, each checked against botocore's
    /// model of its operation (unknown or missing members, types, limits, and for the query
    /// protocol the exact form botocore would send).
    public func recordedRequests() async throws -> [RecordedRequest] {
        try JSONDecoder().decode([RecordedRequest].self, from: try await control("GET", "/_reflex/requests"))
    }

    /// Every secret access key and session token STS has issued, for tests that prove none leaks.
    public func issuedSecrets() async throws -> [String] {
        try JSONDecoder().decode([String].self, from: try await control("GET", "/_reflex/issued-credentials"))
    }

    /// The parameters of the recorded requests of `operation` (`GetMetricData`, ...), oldest
    /// first, decoded as `Parameters`.
    public func recordedParameters<Parameters: Decodable & Sendable>(of operation: String, as _: Parameters.Type = Parameters.self) async throws -> [Parameters] {
        try await recordedCalls(of: operation, as: Parameters.self).map(\.params)
    }

    /// The recorded requests of `operation`, oldest first: their parameters decoded as
    /// `Parameters`, what the model refuses in them, and when each arrived.
    public func recordedCalls<Parameters: Decodable & Sendable>(of operation: String, as _: Parameters.Type = Parameters.self) async throws -> [RecordedCall<Parameters>] {
        let entries = try JSONDecoder().decode([RecordedParameters<Parameters>].self, from: try await control("GET", "/_reflex/requests"))
        return try entries.filter { $0.operation == operation }.map { entry in
            guard let params = entry.params else { throw EmulatorError("a recorded \(operation) request is not a \(Parameters.self)") }
            return RecordedCall(problems: entry.problems, params: params, at: entry.at)
        }
    }

    /// Makes `calls` in order; fails with boto3's error if one fails.
    public func boto3(_ calls: [Boto3Call]) async throws {
        _ = try await boto3Outputs(calls)
    }

    /// Makes one call and decodes its output (without `ResponseMetadata`) as `Output`.
    public func boto3<Output: Decodable>(_ call: Boto3Call, as _: Output.Type = Output.self) async throws -> Output {
        let outputs = try await boto3Outputs([call])
        return try JSONDecoder().decode([Output].self, from: outputs)[0]
    }

    private func boto3Outputs(_ calls: [Boto3Call]) async throws -> Data {
        do {
            return try await control("POST", "/_reflex/boto3", body: try JSONEncoder().encode(calls))
        } catch let error as EmulatorError {
            throw EmulatorError("boto3 \(calls.map { "\($0.service).\($0.operation)" }.joined(separator: ", ")): \(error)")
        }
    }
}

/// A recorded request's operation, its parameters when they have the shape asked for, what
/// the model refuses in it and when it arrived.
private struct RecordedParameters<Parameters: Decodable>: Decodable {
    let operation: String
    let params: Parameters?
    let problems: [String]
    let at: Double

    enum CodingKeys: String, CodingKey { case operation, params, problems, at }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        operation = try container.decode(String.self, forKey: .operation)
        // Other operations' parameters have other shapes.
        params = try? container.decode(Parameters.self, forKey: .params)
        problems = try container.decode([String].self, forKey: .problems)
        at = try container.decode(Double.self, forKey: .at)
    }
}
