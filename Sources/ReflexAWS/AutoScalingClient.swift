import Foundation

/// The Application Auto Scaling calls Reflex needs, for an ECS service's desired count.
public struct AutoScalingClient: Sendable {
    /// A scalable target's bounds.
    public struct Bounds: Sendable, Hashable {
        public let min: Int
        public let max: Int

        /// Bounds `min...max`.
        public init(min: Int, max: Int) {
            self.min = min
            self.max = max
        }
    }

    let client: AWSClient

    /// Application Auto Scaling through `client`.
    public init(client: AWSClient) {
        precondition(client.service == .applicationAutoScaling, "AutoScalingClient needs an Application Auto Scaling client")
        self.client = client
    }

    static func resourceID(cluster: String, service: String) -> String { "service/\(cluster)/\(service)" }

    private struct DescribeInput: Encodable, Sendable { let ServiceNamespace: String; let ResourceIds: [String]; let ScalableDimension: String }
    private struct DescribeOutput: Decodable, Sendable {
        struct Target: Decodable, Sendable { let MinCapacity: Int; let MaxCapacity: Int }
        let ScalableTargets: [Target]?
    }

    /// The registered bounds of the service's desired count, or nil when it is not registered.
    public func bounds(cluster: String, service: String) async throws -> Bounds? {
        let output = try await client.call("DescribeScalableTargets", DescribeInput(
            ServiceNamespace: "ecs", ResourceIds: [Self.resourceID(cluster: cluster, service: service)],
            ScalableDimension: "ecs:service:DesiredCount"), as: DescribeOutput.self).output
        return output.ScalableTargets?.first.map { Bounds(min: $0.MinCapacity, max: $0.MaxCapacity) }
    }

    private struct RegisterInput: Encodable, Sendable {
        let ServiceNamespace: String
        let ResourceId: String
        let ScalableDimension: String
        let MinCapacity: Int
        let MaxCapacity: Int
    }
    private struct RegisterOutput: Decodable, Sendable { let ScalableTargetARN: String? }

    /// Registers (or updates) the service's bounds. Returns the AWS request id.
    @discardableResult
    public func setBounds(cluster: String, service: String, min: Int, max: Int) async throws -> String? {
        try await client.call("RegisterScalableTarget", RegisterInput(
            ServiceNamespace: "ecs", ResourceId: Self.resourceID(cluster: cluster, service: service),
            ScalableDimension: "ecs:service:DesiredCount", MinCapacity: min, MaxCapacity: max), as: RegisterOutput.self).requestID
    }
}
