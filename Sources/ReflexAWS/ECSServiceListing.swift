extension ECSClient {
    /// ListServices' largest page, and DescribeServices' most services per call.
    static let maxListPageSize = 100
    static let maxServicesPerDescribe = 10

    private struct ListServicesInput: Encodable, Sendable { let cluster: String; let maxResults: Int; let nextToken: String? }
    private struct ListServicesOutput: Decodable, Sendable { let serviceArns: [String]?; let nextToken: String? }

    /// The ARNs of every service in `cluster`, 100 to a call.
    func serviceARNs(cluster: String) async throws -> [String] {
        try await Paging.all("ListServices") { token in
            let page = try await client.call("ListServices", ListServicesInput(cluster: cluster, maxResults: Self.maxListPageSize, nextToken: token),
                                             as: ListServicesOutput.self).output
            return (page.serviceArns ?? [], page.nextToken)
        }
    }

    private struct DescribeInput: Encodable, Sendable { let cluster: String; let services: [String] }
    private struct DescribeOutput: Decodable, Sendable {
        struct Service: Decodable, Sendable {
            struct LoadBalancer: Decodable, Sendable { let targetGroupArn: String? }
            let serviceName: String?
            let loadBalancers: [LoadBalancer]?
        }
        let services: [Service]?
    }

    /// The target group each of `services` (names in `cluster`) registers its tasks with: the
    /// first of its load balancers that has one. A service behind no target group (none, or
    /// only a Classic Load Balancer), or no longer there, is absent from the answer.
    func targetGroupARNs(cluster: String, services: [String]) async throws -> [String: String] {
        var found: [String: String] = [:]
        // One call after another: discovery is rare, and ECS's describe calls share a modest
        // per-account rate with every other tool that reads the account.
        for first in stride(from: 0, to: services.count, by: Self.maxServicesPerDescribe) {
            let batch = Array(services[first..<min(first + Self.maxServicesPerDescribe, services.count)])
            let output = try await client.call("DescribeServices", DescribeInput(cluster: cluster, services: batch), as: DescribeOutput.self).output
            for service in output.services ?? [] {
                guard let name = service.serviceName,
                      let arn = service.loadBalancers?.lazy.compactMap(\.targetGroupArn).first(where: { !$0.isEmpty }) else { continue }
                found[name] = arn
            }
        }
        return found
    }
}
