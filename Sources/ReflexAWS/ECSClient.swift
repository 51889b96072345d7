import Foundation
import ReflexHTTP

/// The ECS calls Reflex needs: a service with its deployments, task definition revisions,
/// and UpdateService for rollback, scale and redeploy.
public struct ECSClient: Sendable {
    /// An ECS service as Reflex reads it.
    public struct Service: Decodable, Sendable, Hashable {
        /// One deployment of the service.
        public struct Deployment: Decodable, Sendable, Hashable {
            public let id: String?
            /// `PRIMARY`, `ACTIVE` or `INACTIVE`.
            public let status: String?
            public let taskDefinition: String?
            public let desiredCount: Int?
            public let runningCount: Int?
            public let createdAt: Date?
            public let updatedAt: Date?
            /// `COMPLETED`, `FAILED` or `IN_PROGRESS`.
            public let rolloutState: String?
        }
        public let serviceName: String?
        public let status: String?
        public let taskDefinition: String?
        public let desiredCount: Int?
        public let runningCount: Int?
        public let deployments: [Deployment]?

        /// The newest deployment (by creation time), whose age the `when` gates read.
        public var newestDeployment: Deployment? {
            deployments?.max { ($0.createdAt ?? .distantPast) < ($1.createdAt ?? .distantPast) }
        }
    }

    /// A task definition's identity.
    public struct TaskDefinition: Decodable, Sendable, Hashable {
        public let taskDefinitionArn: String?
        public let family: String?
        public let revision: Int?
        public let status: String?
    }

    let client: AWSClient

    /// ECS through `client`.
    public init(client: AWSClient) {
        precondition(client.service == .ecs, "ECSClient needs an ECS client")
        self.client = client
    }

    private struct DescribeServicesInput: Encodable, Sendable { let cluster: String; let services: [String] }
    private struct DescribeServicesOutput: Decodable, Sendable {
        struct Failure: Decodable, Sendable { let arn: String?; let reason: String? }
        let services: [Service]?
        let failures: [Failure]?
    }

    /// The service `service` in `cluster`.
    public func describeService(cluster: String, service: String) async throws -> Service {
        let output = try await client.call("DescribeServices", DescribeServicesInput(cluster: cluster, services: [service]),
                                           as: DescribeServicesOutput.self).output
        guard let found = output.services?.first else {
            throw AWSError.service(code: "ServiceNotFoundException", message: output.failures?.first?.reason.map { ExternalText.bounded($0) } ?? "service \(cluster)/\(service) not found",
                                   status: 400, requestID: nil)
        }
        return found
    }

    private struct DescribeTaskDefinitionInput: Encodable, Sendable { let taskDefinition: String }
    private struct DescribeTaskDefinitionOutput: Decodable, Sendable { let taskDefinition: TaskDefinition }

    /// The task definition `reference` (ARN, `family:revision`, or family for the newest ACTIVE).
    public func describeTaskDefinition(_ reference: String) async throws -> TaskDefinition {
        try await client.call("DescribeTaskDefinition", DescribeTaskDefinitionInput(taskDefinition: reference),
                              as: DescribeTaskDefinitionOutput.self).output.taskDefinition
    }

    private struct ListTaskDefinitionsInput: Encodable, Sendable { let familyPrefix: String; let status: String; let nextToken: String? }
    private struct ListTaskDefinitionsOutput: Decodable, Sendable { let taskDefinitionArns: [String]?; let nextToken: String? }

    /// The ARNs of the family's ACTIVE revisions, every page.
    public func activeRevisions(family: String) async throws -> [String] {
        var arns: [String] = []
        var token: String?
        repeat {
            let page = try await client.call("ListTaskDefinitions", ListTaskDefinitionsInput(familyPrefix: family, status: "ACTIVE", nextToken: token),
                                             as: ListTaskDefinitionsOutput.self).output
            arns += page.taskDefinitionArns ?? []
            token = page.nextToken
        } while token != nil
        return arns
    }

    private struct UpdateServiceInput: Encodable, Sendable {
        let cluster: String
        let service: String
        let taskDefinition: String?
        let desiredCount: Int?
        let forceNewDeployment: Bool?
    }
    private struct UpdateServiceOutput: Decodable, Sendable { let service: Service? }

    /// UpdateService with only the given changes. Returns the AWS request id.
    @discardableResult
    public func updateService(cluster: String, service: String, taskDefinition: String? = nil, desiredCount: Int? = nil,
                              forceNewDeployment: Bool = false) async throws -> String? {
        try await client.call("UpdateService", UpdateServiceInput(
            cluster: cluster, service: service, taskDefinition: taskDefinition, desiredCount: desiredCount,
            forceNewDeployment: forceNewDeployment ? true : nil), as: UpdateServiceOutput.self).requestID
    }

    /// The revision number at the end of a task definition ARN or `family:revision`.
    public static func revision(of reference: String) -> Int? {
        reference.split(separator: ":").last.flatMap { Int($0) }
    }

    /// The family of a task definition ARN (`...:task-definition/FAMILY:REV`) or `FAMILY:REV`.
    public static func family(of reference: String) -> String {
        let name = reference.split(separator: "/").last.map(String.init) ?? reference
        return name.split(separator: ":").first.map(String.init) ?? name
    }
}
