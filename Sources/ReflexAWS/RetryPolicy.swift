import Foundation
import ReflexHTTP

/// Retries like the AWS SDKs' standard mode: at most `maxAttempts` attempts, exponential
/// backoff with full jitter capped at `maxBackoff`, and a shared retry quota so that an
/// outage does not multiply load (each retry costs 5 tokens, 10 after a timeout; a success
/// gives tokens back). Throttling, 5xx and transport failures are retried; other 4xx, TLS failures and oversized
/// answers are not.
public actor RetryPolicy {
    /// Attempts per call, the first included.
    public let maxAttempts: Int
    /// The backoff before the first retry is random up to this; it doubles per retry.
    public let baseDelay: Duration
    /// The longest backoff.
    public let maxBackoff: Duration
    private var quota: Int
    private let initialQuota: Int

    static let throttlingCodes: Set<String> = [
        "Throttling", "ThrottlingException", "ThrottledException", "RequestThrottledException", "TooManyRequestsException",
        "ProvisionedThroughputExceededException", "TransactionInProgressException", "RequestLimitExceeded",
        "BandwidthLimitExceeded", "LimitExceededException", "RequestThrottled", "SlowDown", "PriorRequestNotComplete",
        "EC2ThrottledException",
    ]
    static let transientCodes: Set<String> = ["RequestTimeout", "RequestTimeoutException", "PriorRequestNotComplete",
                                              "InternalFailure", "ServiceUnavailable"]
    static let transientStatuses: Set<Int> = [500, 502, 503, 504]

    /// The SDKs' standard mode; tests pass a short `baseDelay`.
    public init(maxAttempts: Int = 3, baseDelay: Duration = .seconds(1), maxBackoff: Duration = .seconds(20), quota: Int = 500) {
        self.maxAttempts = maxAttempts
        self.baseDelay = baseDelay
        self.maxBackoff = maxBackoff
        self.quota = quota
        self.initialQuota = quota
    }

    /// A policy with these settings and a full quota of its own, for clients whose failures
    /// should not spend this one's quota (another region, another account).
    nonisolated func withFullQuota() -> RetryPolicy {
        RetryPolicy(maxAttempts: maxAttempts, baseDelay: baseDelay, maxBackoff: maxBackoff, quota: initialQuota)
    }

    /// Whether `error` is worth another attempt.
    public nonisolated static func isRetryable(_ error: AWSError) -> Bool {
        switch error {
        case let .service(code, _, status, _):
            return throttlingCodes.contains(code) || transientCodes.contains(code) || transientStatuses.contains(status)
        case let .transport(transport):
            // A bad certificate or an oversized answer would be the same on every attempt.
            switch transport {
            case .tls, .responseTooLarge: return false
            default: return true
            }
        case .noCredentials, .invalidResponse:
            return false
        }
    }

    /// The delay before retry number `retry` (1-based) after `error`, or nil when the call
    /// must give up: attempts or quota are spent, or the error is not retryable.
    func delay(beforeRetry retry: Int, after error: AWSError) -> Duration? {
        guard retry < maxAttempts, Self.isRetryable(error) else { return nil }
        let cost = if case .transport(.timeout) = error { 10 } else { 5 }
        guard quota >= cost else { return nil }
        quota -= cost
        let cap = min(baseDelay * (1 << (retry - 1)), maxBackoff)
        return cap * Double.random(in: 0...1)
    }

    /// Gives tokens back after a success: the cost of the retries it took, or 1.
    func recordSuccess(afterRetries retries: Int) {
        quota = min(initialQuota, quota + (retries == 0 ? 1 : 5 * retries))
    }

    /// Tokens left, for tests and status.
    public var remainingQuota: Int { quota }
}
