import Logging
import ReflexHTTP

/// How the credential chain reaches STS to assume the roles its sources name: the regional
/// endpoint of one region, over the chain's HTTP client, with its retry policy and logger.
struct STSAccess: Sendable {
    /// The region used when nothing names one: where the SDKs' global STS endpoint signs.
    static let fallbackRegion = "us-east-1"

    let region: String
    let environment: AWSEnvironment
    let http: any HTTPClient
    let retry: RetryPolicy
    let logger: Logger

    /// An STS client signing with `credentials`, or sending unsigned requests only when nil.
    func client(signedWith credentials: AWSCredentials?) throws -> STSClient {
        STSClient(client: try AWSClient(service: .sts, region: region, environment: environment, http: http,
                                        credentials: credentials.map { FixedCredentials(value: $0) } ?? NoCredentials(),
                                        retry: retry, logger: logger))
    }
}

extension RoleAssumption {
    /// A role read from configuration (`place`: a profile, environment variables), the
    /// session name defaulting to `reflex-HOSTNAME`. Errors name the place, as the
    /// credential chain reports them.
    init(configuredIn place: String, roleARN: String, externalID: String? = nil, sessionName: String?, durationSeconds: String?) throws {
        do {
            guard let duration = durationSeconds.map({ Int($0) }) ?? 3600 else {
                throw RoleAssumptionError("duration_seconds \(durationSeconds ?? "") is not a whole number of seconds")
            }
            try self.init(roleARN: roleARN, externalID: externalID, sessionName: sessionName ?? Self.defaultSessionName,
                          durationSeconds: duration)
        } catch let error as RoleAssumptionError {
            throw AWSError.noCredentials("\(place): \(error)")
        }
    }
}
