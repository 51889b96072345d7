import Foundation
import Logging
import ReflexAWS
import ReflexCore
import ReflexHTTP
import Testing

/// GetMetricData's default quota of 50 calls a second, through Reflex's own client against a
/// CloudWatch in process: no network and no emulator, so the times are the pacing's alone,
/// even on a busy machine.
struct CallPacingTests {
    /// Answers every GetMetricData call with empty, complete results at once, or the first
    /// `held` calls after `hold`; notes when each call arrived.
    final class InstantCloudWatch: HTTPClient, @unchecked Sendable {
        private let lock = NSLock()
        private let started = ContinuousClock.now
        private var arrived: [Duration] = []
        let held: Int
        let hold: Duration

        init(held: Int = 0, hold: Duration = .zero) {
            self.held = held
            self.hold = hold
        }

        /// When each call arrived, in seconds from the first.
        var arrivals: [Double] {
            lock.withLock {
                let seconds = arrived.map { Double($0.components.seconds) + Double($0.components.attoseconds) / 1e18 }.sorted()
                return seconds.map { $0 - (seconds.first ?? 0) }
            }
        }

        func send(_ request: HTTPRequest) async throws -> HTTPResponse {
            struct Input: Decodable { struct Query: Decodable { let Id: String }; let MetricDataQueries: [Query] }
            let number = lock.withLock {
                arrived.append(ContinuousClock.now - started)
                return arrived.count
            }
            if number <= held { try await Task.sleep(for: hold) }
            let ids = try JSONDecoder().decode(Input.self, from: request.body).MetricDataQueries.map(\.Id)
            let results = ids.map { #"{"Id": "\#($0)", "Timestamps": [], "Values": [], "StatusCode": "Complete"}"# }
            return HTTPResponse(status: 200, headers: [:], body: Data(#"{"MetricDataResults": [\#(results.joined(separator: ", "))]}"#.utf8))
        }

        /// A source reading from this stand-in, one query to a call.
        func source() -> CloudWatchMetricsSource {
            let client = AWSClient(service: .cloudWatch, region: "us-east-1", endpoint: URL(string: "https://monitoring.instant.invalid")!, http: self,
                                   credentials: CredentialChain(environment: AWSEnvironment(variables: ["AWS_ACCESS_KEY_ID": "k", "AWS_SECRET_ACCESS_KEY": "s"]),
                                                                http: self),
                                   retry: RetryPolicy(), logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }), timeout: .seconds(30))
            return CloudWatchMetricsSource(client: client, limits: FetchPlan.Limits(queries: 1, datapoints: CloudWatchMetricsSource.datapointsPerCall))
        }

        /// Fetches `count` one-query calls; fails the test if any query failed.
        func fetch(_ count: Int) async {
            let queries = (0..<count).map { MetricQueryFixtures.query("instant-\($0)") }
            let results = await source().fetch(queries, from: MetricQueryFixtures.minutesAgo(10), to: MetricQueryFixtures.minutesAgo(0))
            #expect(results.count == count && results.values.allSatisfy { if case .success = $0 { true } else { false } })
        }
    }

    @Test func fiftyCallsGoOutAtOnce() async throws {
        let cloudWatch = InstantCloudWatch()
        await cloudWatch.fetch(50)
        let times = cloudWatch.arrivals
        // Not one call a fiftieth of a second apart: none waits for a turn.
        #expect(times.count == 50 && times.last ?? 1 < 0.5, "\(times)")
    }

    @Test func theFiftyFirstWaitsUntilASecondAfterAnAnswer() async throws {
        // The first 50 answers take 2 s: all 50 calls are out before any answer, and the 51st
        // goes out a second after one came back.
        let cloudWatch = InstantCloudWatch(held: 50, hold: .seconds(2))
        await cloudWatch.fetch(60)
        let times = cloudWatch.arrivals
        #expect(times.count == 60)
        #expect(times.filter { $0 < 2 }.count == 50, "\(times)")
        #expect(times.dropFirst(50).allSatisfy { $0 >= 3 }, "\(times)")
    }
}
