import Foundation

/// The Elastic Load Balancing (v2) call Reflex needs: which load balancers send traffic to a
/// target group. ELBv2 speaks only the query protocol: form-encoded requests, XML answers.
public struct ElasticLoadBalancingClient: Sendable {
    /// A target group and the load balancers that route to it.
    public struct TargetGroup: Sendable, Hashable {
        /// The target group's ARN.
        public let arn: String
        /// The ARNs of the load balancers whose listeners or rules forward to it (none until
        /// one does).
        public let loadBalancerARNs: [String]
    }

    /// Target groups asked for in one DescribeTargetGroups call. The API documents no limit
    /// for this list; 20 is its documented limit for the sibling DescribeLoadBalancers, and
    /// keeps each answer small.
    static let targetGroupsPerCall = 20

    let client: AWSClient

    /// ELBv2 through `client`.
    public init(client: AWSClient) {
        precondition(client.service == .elasticLoadBalancingV2, "ElasticLoadBalancingClient needs an ELBv2 client")
        self.client = client
    }

    /// The target groups `arns` by ARN. One that does not exist (deleted since a service named
    /// it) is absent from the answer rather than an error.
    public func targetGroups(_ arns: [String]) async throws -> [String: TargetGroup] {
        var unique: [String] = []
        var seen: Set<String> = []
        for arn in arns where seen.insert(arn).inserted { unique.append(arn) }
        var found: [String: TargetGroup] = [:]
        for first in stride(from: 0, to: unique.count, by: Self.targetGroupsPerCall) {
            let batch = Array(unique[first..<min(first + Self.targetGroupsPerCall, unique.count)])
            do {
                for group in try await describe(batch) { found[group.arn] = group }
            } catch let error as AWSError where error.code == "TargetGroupNotFound" {
                // One missing ARN fails the whole call: ask for the batch's groups one by one so
                // that the others are still found.
                for arn in batch {
                    do {
                        for group in try await describe([arn]) { found[group.arn] = group }
                    } catch let error as AWSError where error.code == "TargetGroupNotFound" {
                        continue
                    }
                }
            }
        }
        return found
    }

    /// DescribeTargetGroups for `arns`, every page.
    private func describe(_ arns: [String]) async throws -> [TargetGroup] {
        var groups: [TargetGroup] = []
        var paging = Paging("DescribeTargetGroups")
        var marker: String?
        repeat {
            let parameters = QueryForm.list("TargetGroupArns", arns) + (marker.map { [("Marker", $0)] } ?? [])
            let reply = try await client.callQuery("DescribeTargetGroups", parameters).output
            guard let result = reply.child("DescribeTargetGroupsResult") else {
                throw AWSError.invalidResponse("\(client.service.rawValue) DescribeTargetGroups: no DescribeTargetGroupsResult in the answer")
            }
            for member in result.child("TargetGroups")?.children ?? [] where member.name == "member" {
                guard let arn = member.child("TargetGroupArn")?.text, !arn.isEmpty else { continue }
                groups.append(TargetGroup(arn: arn, loadBalancerARNs: member.child("LoadBalancerArns")?.members ?? []))
            }
            marker = try paging.next(after: result.child("NextMarker")?.text)
        } while marker != nil
        return groups
    }
}
