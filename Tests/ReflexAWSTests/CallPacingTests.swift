import Foundation
import Logging
import ReflexAWS
import ReflexCore
import ReflexHTTP
import Testing

/// GetMetricData's default quota of 50 calls a second, through Reflex's own client against a
/// CloudWatch in process. What is checked holds however slowly a busy machine runs the tests:
/// which calls were out together, and that a call waited for an answer and a second after it.
struct CallPacingTests {
    /// Holds the answers to the first `held` calls until all of them have arrived (or 90 s
    /// after the first, should they never), then answers every call with empty, complete
    /// results; notes when each call arrived and each answer left.
    final class HeldCloudWatch: HTTPClient, @unchecked Sendable {
        private let lock = NSLock()
        private var arrived: [ContinuousClock.Instant] = []
        private var answered: [ContinuousClock.Instant] = []
        let held: Int
        private var releaseBy: ContinuousClock.Instant?

        init(held: Int) {
            self.held = held
        }

        var arrivals: [ContinuousClock.Instant] { lock.withLock { arrived } }
        var answers: [ContinuousClock.Instant] { lock.withLock { answered } }

        func send(_ request: HTTPRequest) async throws -> HTTPResponse {
            struct Input: Decodable { struct Query: Decodable { let Id: String }; let MetricDataQueries: [Query] }
            let (number, deadline) = lock.withLock {
                arrived.append(.now)
                releaseBy = releaseBy ?? .now + .seconds(90)
                return (arrived.count, releaseBy ?? .now)
            }
            if number <= held {
                while lock.withLock({ arrived.count }) < held && ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(10)) }
            }
            let ids = try JSONDecoder().decode(Input.self, from: request.body).MetricDataQueries.map(\.Id)
            let results = ids.map { #"{"Id": "\#($0)", "Timestamps": [], "Values": [], "StatusCode": "Complete"}"# }
            lock.withLock { answered.append(.now) }
            return HTTPResponse(status: 200, headers: [:], body: Data(#"{"MetricDataResults": [\#(results.joined(separator: ", "))]}"#.utf8))
        }

        /// Fetches `count` queries, one to a call, with the default quota.
        func fetch(_ count: Int) async -> [MetricQuery: Result<MetricSeries, MetricsFailure>] {
            let environment = AWSEnvironment(variables: ["AWS_ACCESS_KEY_ID": "k", "AWS_SECRET_ACCESS_KEY": "s"])
            let client = AWSClient(service: .cloudWatch, region: "us-east-1", endpoint: URL(string: "https://monitoring.held.invalid")!, http: self,
                                   credentials: CredentialChain(environment: environment, http: self), retry: RetryPolicy(),
                                   logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }), timeout: .seconds(120))
            let source = CloudWatchMetricsSource(client: client, limits: FetchPlan.Limits(queries: 1, datapoints: CloudWatchMetricsSource.datapointsPerCall))
            let queries = (0..<count).map { MetricQueryFixtures.query("held-\($0)") }
            return await source.fetch(queries, from: MetricQueryFixtures.minutesAgo(10), to: MetricQueryFixtures.minutesAgo(0))
        }
    }

    @Test func fiftyCallsGoOutTogetherAndTheFiftyFirstASecondAfterAnAnswer() async throws {
        let cloudWatch = HeldCloudWatch(held: 50)
        let results = await cloudWatch.fetch(60)
        #expect(results.count == 60 && results.values.allSatisfy { if case .success = $0 { true } else { false } })
        let arrivals = cloudWatch.arrivals, answers = cloudWatch.answers
        let firstAnswer = try #require(answers.min())
        // The first 50 were all out before any of them was answered: none waited for a turn.
        #expect(arrivals.filter { $0 <= firstAnswer }.count == 50, "\(arrivals.count) calls, answers from \(firstAnswer)")
        // Each later call went out only a second after an answer.
        let later = arrivals.dropFirst(50)
        #expect(later.count == 10 && later.allSatisfy { $0 >= firstAnswer + .seconds(1) })
    }
}
