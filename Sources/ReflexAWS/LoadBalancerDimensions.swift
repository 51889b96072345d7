/// The values CloudWatch's `AWS/ApplicationELB` (and `AWS/NetworkELB`) metrics carry in their
/// `TargetGroup` and `LoadBalancer` dimensions, derived from the ARNs; the fleet variables
/// `target_group` and `load_balancer` hold them so that policies can use them as dimensions.
enum LoadBalancerDimensions {
    /// `targetgroup/NAME/ID`: the part of a target group ARN after its last `:`; nil when
    /// `arn` is not a target group ARN.
    static func targetGroup(_ arn: String) -> String? {
        guard let resource = ResourceARN(arn)?.resource, resource.hasPrefix("targetgroup/") else { return nil }
        return resource
    }

    /// `app/NAME/ID` (or `net/...`): the part of a load balancer ARN after `loadbalancer/`;
    /// nil when `arn` is not a load balancer ARN.
    static func loadBalancer(_ arn: String) -> String? {
        guard let resource = ResourceARN(arn)?.resource, resource.hasPrefix("loadbalancer/") else { return nil }
        let value = resource.dropFirst("loadbalancer/".count)
        return value.isEmpty ? nil : String(value)
    }
}
