/// The AWS services Reflex calls, with what their wire protocols need.
public enum AWSService: String, Sendable, CaseIterable {
    case cloudWatch, cloudWatchLogs, ecs, dynamoDB, applicationAutoScaling, resourceGroupsTagging, elasticLoadBalancingV2
    /// The Security Token Service, for assuming roles.
    case sts

    /// The endpoint prefix, e.g. `monitoring` in `monitoring.us-east-1.amazonaws.com`.
    public var endpointPrefix: String {
        switch self {
        case .cloudWatch: "monitoring"
        case .cloudWatchLogs: "logs"
        case .ecs: "ecs"
        case .dynamoDB: "dynamodb"
        case .applicationAutoScaling: "application-autoscaling"
        case .resourceGroupsTagging: "tagging"
        case .elasticLoadBalancingV2: "elasticloadbalancing"
        case .sts: "sts"
        }
    }

    /// The SigV4 signing name (the endpoint prefix for all of them).
    public var signingName: String { endpointPrefix }

    /// How requests are framed: JSON with an `X-Amz-Target`, or a form-encoded query.
    var wireProtocol: AWSWireProtocol {
        switch self {
        case .cloudWatch: .json(version: "1.0", targetPrefix: "GraniteServiceVersion20100801")
        case .cloudWatchLogs: .json(version: "1.1", targetPrefix: "Logs_20140328")
        case .ecs: .json(version: "1.1", targetPrefix: "AmazonEC2ContainerServiceV20141113")
        case .dynamoDB: .json(version: "1.0", targetPrefix: "DynamoDB_20120810")
        case .applicationAutoScaling: .json(version: "1.1", targetPrefix: "AnyScaleFrontendService")
        case .resourceGroupsTagging: .json(version: "1.1", targetPrefix: "ResourceGroupsTaggingAPI_20170126")
        // ELBv2 has no JSON protocol: it speaks only the query protocol (form in, XML out).
        case .elasticLoadBalancingV2: .query(apiVersion: "2015-12-01")
        // STS too: botocore's model and the SDKs call it with the query protocol.
        case .sts: .query(apiVersion: "2011-06-15")
        }
    }

    /// CloudWatch speaks JSON in "query compatible" mode, which it asks clients to announce.
    var isQueryCompatible: Bool { self == .cloudWatch }

    /// The suffix of the SDKs' `AWS_ENDPOINT_URL_<SERVICE>` override.
    public var endpointVariable: String {
        switch self {
        case .cloudWatch: "AWS_ENDPOINT_URL_CLOUDWATCH"
        case .cloudWatchLogs: "AWS_ENDPOINT_URL_CLOUDWATCH_LOGS"
        case .ecs: "AWS_ENDPOINT_URL_ECS"
        case .dynamoDB: "AWS_ENDPOINT_URL_DYNAMODB"
        case .applicationAutoScaling: "AWS_ENDPOINT_URL_APPLICATION_AUTO_SCALING"
        case .resourceGroupsTagging: "AWS_ENDPOINT_URL_RESOURCE_GROUPS_TAGGING_API"
        case .elasticLoadBalancingV2: "AWS_ENDPOINT_URL_ELASTIC_LOAD_BALANCING_V2"
        case .sts: "AWS_ENDPOINT_URL_STS"
        }
    }
}

/// The two AWS wire protocols Reflex speaks.
enum AWSWireProtocol: Sendable, Hashable {
    /// `POST /` with a JSON body, `Content-Type: application/x-amz-json-VERSION` and
    /// `X-Amz-Target: PREFIX.Operation`; JSON replies.
    case json(version: String, targetPrefix: String)
    /// `POST /` with a form body `Action=Operation&Version=API_VERSION&...`; XML replies.
    case query(apiVersion: String)
}
