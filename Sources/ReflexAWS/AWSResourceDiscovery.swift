import ReflexCore

/// Finds the DynamoDB tables and ECS services a fleet selector may cover.
///
/// A selector with tags asks the Resource Groups Tagging API for the resources that carry
/// them (one listing, whatever the account holds otherwise); a selector without tags lists
/// every table (ListTables) or every service of the cluster (ListServices), and its members
/// carry no tags, as there are none to check. An ECS selector without a cluster looks in the
/// cluster named `default`, as ECS itself does. For ECS services, the variables
/// `target_group` and `load_balancer` are read when asked for (DescribeServices, then ELBv2
/// DescribeTargetGroups), in the form CloudWatch's load balancer metrics use as dimensions.
/// `TargetSelector.select` makes the final choice among the candidates returned.
public struct AWSResourceDiscovery: ResourceDiscovery {
    let tagging: ResourceGroupsTaggingClient
    let dynamoDB: DynamoDBClient
    let ecs: ECSClient
    let loadBalancing: ElasticLoadBalancingClient

    /// Discovery through these clients (`AWSServices.resourceDiscovery` makes one).
    public init(tagging: ResourceGroupsTaggingClient, dynamoDB: DynamoDBClient, ecs: ECSClient, loadBalancing: ElasticLoadBalancingClient) {
        self.tagging = tagging
        self.dynamoDB = dynamoDB
        self.ecs = ecs
        self.loadBalancing = loadBalancing
    }

    public func candidates(for selector: TargetSelector, variables: Set<String>) async throws -> [FleetMember] {
        switch selector.kind {
        case .dynamoDBTable:
            return try await tables(selector)
        case .ecsService:
            let cluster = selector.cluster ?? "default"
            let services = try await services(selector, cluster: cluster)
            return try await withLoadBalancerVariables(services, cluster: cluster, variables: variables)
        }
    }

    private func tables(_ selector: TargetSelector) async throws -> [FleetMember] {
        guard !selector.tags.isEmpty else {
            return try await dynamoDB.tableNames().map { FleetMember(target: .dynamoDBTable(name: $0)) }
        }
        var members: [FleetMember] = []
        var seen: Set<Target> = []
        for resource in try await tagging.resources(ofType: "dynamodb:table", tagged: selector.tags) {
            guard let name = ResourceARN(resource.arn)?.dynamoDBTableName, seen.insert(.dynamoDBTable(name: name)).inserted else { continue }
            members.append(FleetMember(target: .dynamoDBTable(name: name), tags: resource.tags))
        }
        return members
    }

    /// The services of `cluster` (as the selector names it: by name or ARN) that may match.
    private func services(_ selector: TargetSelector, cluster: String) async throws -> [FleetMember] {
        let clusterName = ResourceARN.ecsClusterName(cluster)
        var members: [FleetMember] = []
        var seen: Set<Target> = []
        func add(_ service: String, tags: [String: String] = [:]) {
            let target = Target.ecsService(cluster: cluster, service: service)
            if seen.insert(target).inserted { members.append(FleetMember(target: target, tags: tags)) }
        }

        guard !selector.tags.isEmpty else {
            for arn in try await ecs.serviceARNs(cluster: cluster) {
                // ListServices names only the cluster's services; an ARN naming another cluster
                // is dropped all the same, so that no other cluster's service is ever acted on.
                guard let service = ResourceARN(arn)?.ecsService, service.cluster == nil || service.cluster == clusterName else { continue }
                add(service.name)
            }
            return members
        }

        // GetResources lists tagged services of every cluster.
        var withoutCluster: [(arn: String, name: String, tags: [String: String])] = []
        for resource in try await tagging.resources(ofType: "ecs:service", tagged: selector.tags) {
            guard let service = ResourceARN(resource.arn)?.ecsService else { continue }
            if let serviceCluster = service.cluster {
                if serviceCluster == clusterName { add(service.name, tags: resource.tags) }
            } else {
                withoutCluster.append((resource.arn, service.name, resource.tags))
            }
        }
        // An old-format ARN (`service/NAME`) does not say its cluster; the cluster's own
        // listing does: such a service is the cluster's when ListServices names the same ARN.
        if !withoutCluster.isEmpty {
            let listed = Set(try await ecs.serviceARNs(cluster: cluster))
            for service in withoutCluster where listed.contains(service.arn) { add(service.name, tags: service.tags) }
        }
        return members
    }

    /// `services` with the `target_group` and `load_balancer` variables of those behind a
    /// target group, when `variables` asks for them. A service behind none simply lacks them.
    private func withLoadBalancerVariables(_ services: [FleetMember], cluster: String, variables: Set<String>) async throws -> [FleetMember] {
        let wantsTargetGroup = variables.contains("target_group"), wantsLoadBalancer = variables.contains("load_balancer")
        guard wantsTargetGroup || wantsLoadBalancer, !services.isEmpty else { return services }
        let targetGroupByService = try await ecs.targetGroupARNs(cluster: cluster, services: services.map(\.name))
        // The load balancer is only known to ELBv2; the target group alone needs no call to it.
        let targetGroups: [String: ElasticLoadBalancingClient.TargetGroup] =
            if wantsLoadBalancer { try await loadBalancing.targetGroups(Array(targetGroupByService.values)) } else { [:] }
        return services.map { member in
            guard let targetGroupARN = targetGroupByService[member.name] else { return member }
            var extra: [String: String] = [:]
            if wantsTargetGroup { extra["target_group"] = LoadBalancerDimensions.targetGroup(targetGroupARN) }
            if wantsLoadBalancer {
                extra["load_balancer"] = targetGroups[targetGroupARN]?.loadBalancerARNs.lazy.compactMap(LoadBalancerDimensions.loadBalancer).first
            }
            return FleetMember(target: member.target, tags: member.tags, extra: extra)
        }
    }
}
