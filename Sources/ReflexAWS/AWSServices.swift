import Foundation
import Logging
import ReflexHTTP

/// The service clients Reflex uses, sharing one HTTP client, one credential chain and
/// one retry quota, with region and endpoints resolved as the AWS SDKs do.
public struct AWSServices: Sendable {
    public let region: String
    public let cloudWatch: AWSClient
    /// CloudWatch Logs, for `log_events` series.
    public let logs: CloudWatchLogsClient
    public let ecs: ECSClient
    public let dynamoDB: DynamoDBClient
    public let autoScaling: AutoScalingClient
    /// The Resource Groups Tagging API, for fleet discovery by tag.
    public let tagging: ResourceGroupsTaggingClient
    /// ELBv2, for the load balancers of discovered services.
    public let loadBalancing: ElasticLoadBalancingClient

    /// Clients for `region` (else the environment's or the profile's region). Fails when no
    /// region can be found: Reflex never guesses one.
    public init(region configured: String?, environment: AWSEnvironment = AWSEnvironment(), logger: Logger,
                retry: RetryPolicy = RetryPolicy()) throws {
        guard let region = environment.region(configured: configured) else {
            throw AWSError.noCredentials("no AWS region: set region in the config, AWS_REGION or AWS_DEFAULT_REGION")
        }
        let http = CurlHTTPClient(caBundle: environment["AWS_CA_BUNDLE"])
        let credentials = CredentialChain(environment: environment, http: http)
        func client(_ service: AWSService) throws -> AWSClient {
            guard let endpoint = environment.endpoint(for: service, region: region) else {
                throw AWSError.invalidResponse("\(service.endpointVariable) is not a URL")
            }
            return AWSClient(service: service, region: region, endpoint: endpoint, http: http, credentials: credentials,
                             retry: retry, logger: logger)
        }
        self.region = region
        cloudWatch = try client(.cloudWatch)
        logs = CloudWatchLogsClient(client: try client(.cloudWatchLogs))
        ecs = ECSClient(client: try client(.ecs))
        dynamoDB = DynamoDBClient(client: try client(.dynamoDB))
        autoScaling = AutoScalingClient(client: try client(.applicationAutoScaling))
        tagging = ResourceGroupsTaggingClient(client: try client(.resourceGroupsTagging))
        loadBalancing = ElasticLoadBalancingClient(client: try client(.elasticLoadBalancingV2))
    }

    /// Fleet discovery through these clients.
    public var resourceDiscovery: AWSResourceDiscovery {
        AWSResourceDiscovery(tagging: tagging, dynamoDB: dynamoDB, ecs: ecs, loadBalancing: loadBalancing)
    }
}

extension AWSServices {
    /// Resolves credentials now, so that a daemon without them fails at start-up.
    public func verifyCredentials() async throws {
        _ = try await cloudWatch.credentials.credentials()
    }
}
