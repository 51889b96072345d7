import Foundation

extension ECSClient {
    /// A task that stopped, as DescribeTasks tells it.
    public struct StoppedTask: Sendable, Hashable {
        /// The task's ARN.
        public let arn: String
        /// `service:NAME` for a service's tasks.
        public let group: String?
        /// Why ECS stopped it (e.g. `Essential container in task exited`).
        public let stoppedReason: String?
        /// When it stopped; AWS always sets it.
        public let stoppedAt: Date?
        /// Why each container stopped (e.g. `OutOfMemoryError: Container killed due to memory usage`).
        public let containerReasons: [String]
        /// Each container's exit code.
        public let exitCodes: [Int]
    }

    /// DescribeTasks' most tasks per call.
    static let maxTasksPerDescribe = 100

    private struct ListTasksInput: Encodable, Sendable {
        let cluster: String; let serviceName: String; let desiredStatus: String; let maxResults: Int; let nextToken: String?
    }
    private struct ListTasksOutput: Decodable, Sendable { let taskArns: [String]?; let nextToken: String? }

    /// The ARNs of `service`'s stopped tasks in `cluster` (ECS lists them for about an hour).
    public func stoppedTaskARNs(cluster: String, service: String) async throws -> [String] {
        try await Paging.all("ListTasks") { token in
            let input = ListTasksInput(cluster: cluster, serviceName: service, desiredStatus: "STOPPED", maxResults: Self.maxListPageSize,
                                       nextToken: token)
            let page = try await client.call("ListTasks", input, as: ListTasksOutput.self).output
            return (page.taskArns ?? [], page.nextToken)
        }
    }

    private struct DescribeTasksInput: Encodable, Sendable { let cluster: String; let tasks: [String] }
    private struct DescribeTasksOutput: Decodable, Sendable {
        struct Task: Decodable, Sendable {
            struct Container: Decodable, Sendable { let reason: String?; let exitCode: Int? }
            let taskArn: String?
            let group: String?
            let stoppedReason: String?
            let stoppedAt: Double?
            let containers: [Container]?
        }
        let tasks: [Task]?
    }

    /// The tasks `arns` of `cluster`, 100 to a call.
    public func describeStoppedTasks(cluster: String, arns: [String]) async throws -> [StoppedTask] {
        var found: [StoppedTask] = []
        for start in stride(from: 0, to: arns.count, by: Self.maxTasksPerDescribe) {
            let chunk = Array(arns[start..<min(arns.count, start + Self.maxTasksPerDescribe)])
            let output = try await client.call("DescribeTasks", DescribeTasksInput(cluster: cluster, tasks: chunk), as: DescribeTasksOutput.self).output
            found += (output.tasks ?? []).compactMap { task in
                guard let arn = task.taskArn else { return nil }
                let containers = task.containers ?? []
                return StoppedTask(arn: arn, group: task.group, stoppedReason: task.stoppedReason,
                                   stoppedAt: task.stoppedAt.map { Date(timeIntervalSince1970: $0) },
                                   containerReasons: containers.compactMap(\.reason), exitCodes: containers.compactMap(\.exitCode))
            }
        }
        return found
    }
}
