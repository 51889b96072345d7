import Foundation
import Logging
import ReflexHTTP

/// The service clients Reflex uses in one account and region, sharing one HTTP client, one
/// credential source and one retry quota, with region and endpoints resolved as the AWS SDKs
/// do. `inRegion` and `assuming` derive the clients of other regions and accounts from it.
public struct AWSServices: Sendable {
    public let region: String
    /// The credentials every client signs with.
    public let credentials: any CredentialSource
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
    let http: any HTTPClient
    let environment: AWSEnvironment
    let logger: Logger
    let retry: RetryPolicy

    /// Clients for `region` (else the environment's or the profile's region), with the
    /// default credential chain. Fails when no region can be found: Reflex never guesses one.
    public init(region configured: String?, environment: AWSEnvironment = AWSEnvironment(), logger: Logger,
                retry: RetryPolicy = RetryPolicy()) throws {
        guard let region = environment.region(configured: configured) else {
            throw AWSError.noCredentials("no AWS region: set region in the config, AWS_REGION or AWS_DEFAULT_REGION")
        }
        let http = CurlHTTPClient(caBundle: environment["AWS_CA_BUNDLE"])
        try self.init(region: region, credentials: CredentialChain(environment: environment, http: http, region: region, retry: retry, logger: logger),
                      http: http, environment: environment, logger: logger, retry: retry)
    }

    private init(region: String, credentials: any CredentialSource, http: any HTTPClient, environment: AWSEnvironment,
                 logger: Logger, retry: RetryPolicy) throws {
        func client(_ service: AWSService) throws -> AWSClient {
            try AWSClient(service: service, region: region, environment: environment, http: http, credentials: credentials,
                          retry: retry, logger: logger)
        }
        self.region = region
        self.credentials = credentials
        self.http = http
        self.environment = environment
        self.logger = logger
        self.retry = retry
        cloudWatch = try client(.cloudWatch)
        logs = CloudWatchLogsClient(client: try client(.cloudWatchLogs))
        ecs = ECSClient(client: try client(.ecs))
        dynamoDB = DynamoDBClient(client: try client(.dynamoDB))
        autoScaling = AutoScalingClient(client: try client(.applicationAutoScaling))
        tagging = ResourceGroupsTaggingClient(client: try client(.resourceGroupsTagging))
        loadBalancing = ElasticLoadBalancingClient(client: try client(.elasticLoadBalancingV2))
    }

    /// The same identity's clients in `region`: same credentials (and so one credential
    /// cache) and HTTP client, a retry quota of their own so that an outage in one region
    /// does not stop retries in another.
    public func inRegion(_ region: String) throws -> AWSServices {
        try AWSServices(region: region, credentials: credentials, http: http, environment: environment, logger: logger,
                        retry: retry.withFullQuota())
    }

    /// Clients in `region` acting as `role`, assumed with these services' credentials as the
    /// base identity through the STS endpoint of these services' region. The role's
    /// credentials are cached and refreshed by one `AssumedRoleCredentials`: call `inRegion`
    /// on the result to reach the role's other regions with the same cache.
    public func assuming(_ role: RoleAssumption, region: String) throws -> AWSServices {
        let sts = STSClient(client: try AWSClient(service: .sts, region: self.region, environment: environment, http: http,
                                                  credentials: credentials, retry: retry, logger: logger))
        return try AWSServices(region: region, credentials: AssumedRoleCredentials(role: role, sts: sts), http: http,
                               environment: environment, logger: logger, retry: retry.withFullQuota())
    }

    /// A DynamoDB client whose every call, retries included, ends within `timeout`: one
    /// attempt, no retry. The lease of a highly available pair counts on that bound (a leader
    /// stops acting in time only if no renewal can take longer), and retries at the next heartbeat.
    public func boundedDynamoDB(timeout: Duration) throws -> AWSClient {
        try AWSClient(service: .dynamoDB, region: region, environment: environment, http: http, credentials: credentials,
                      retry: RetryPolicy(maxAttempts: 1), logger: logger, timeout: timeout)
    }

    /// Fleet discovery through these clients.
    public var resourceDiscovery: AWSResourceDiscovery {
        AWSResourceDiscovery(tagging: tagging, dynamoDB: dynamoDB, ecs: ecs, loadBalancing: loadBalancing)
    }
}

extension AWSServices {
    /// Resolves credentials now, so that a daemon without them fails at start-up.
    public func verifyCredentials() async throws {
        _ = try await credentials.credentials()
    }
}
