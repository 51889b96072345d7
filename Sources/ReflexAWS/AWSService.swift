/// The AWS services Reflex calls, with what their JSON protocols need.
public enum AWSService: String, Sendable, CaseIterable {
    case cloudWatch, ecs, dynamoDB, applicationAutoScaling

    /// The endpoint prefix, e.g. `monitoring` in `monitoring.us-east-1.amazonaws.com`.
    public var endpointPrefix: String {
        switch self {
        case .cloudWatch: "monitoring"
        case .ecs: "ecs"
        case .dynamoDB: "dynamodb"
        case .applicationAutoScaling: "application-autoscaling"
        }
    }

    /// The SigV4 signing name (the endpoint prefix for all four).
    public var signingName: String { endpointPrefix }

    /// The prefix of `X-Amz-Target`.
    var targetPrefix: String {
        switch self {
        case .cloudWatch: "GraniteServiceVersion20100801"
        case .ecs: "AmazonEC2ContainerServiceV20141113"
        case .dynamoDB: "DynamoDB_20120810"
        case .applicationAutoScaling: "AnyScaleFrontendService"
        }
    }

    /// `application/x-amz-json-1.0` or `-1.1`.
    var contentType: String {
        switch self {
        case .cloudWatch, .dynamoDB: "application/x-amz-json-1.0"
        case .ecs, .applicationAutoScaling: "application/x-amz-json-1.1"
        }
    }

    /// CloudWatch speaks JSON in "query compatible" mode, which it asks clients to announce.
    var isQueryCompatible: Bool { self == .cloudWatch }

    /// The suffix of the SDKs' `AWS_ENDPOINT_URL_<SERVICE>` override.
    public var endpointVariable: String {
        switch self {
        case .cloudWatch: "AWS_ENDPOINT_URL_CLOUDWATCH"
        case .ecs: "AWS_ENDPOINT_URL_ECS"
        case .dynamoDB: "AWS_ENDPOINT_URL_DYNAMODB"
        case .applicationAutoScaling: "AWS_ENDPOINT_URL_APPLICATION_AUTO_SCALING"
        }
    }
}
