import Foundation
import Logging
import ReflexAWS
import ReflexHTTP

/// AWS in process, for fleets larger than the emulator serves in reasonable time: Reflex's
/// own clients (signing, JSON, paging, GetMetricData packing) talk to it as to AWS, and it
/// answers GetResources with the tagged tables of a `FleetFixture` (100 a page) and
/// GetMetricData with their throttles (every period of the range asked for). No network: the
/// figures leave out HTTP itself. It counts calls per operation and the CPU time it spends
/// answering, which a measurement subtracts from the process's.
final class SyntheticAWS: HTTPClient, @unchecked Sendable {
    let fleet: FleetFixture
    private let lock = NSLock()
    private var calls: [String: Int] = [:]
    private var nanoseconds: UInt64 = 0

    init(fleet: FleetFixture) {
        self.fleet = fleet
    }

    /// Calls per operation (`X-Amz-Target`) since the last reset, and the CPU seconds spent
    /// answering them; `reset` starts counting anew.
    func usage(reset: Bool = false) -> (calls: [String: Int], cpuSeconds: Double) {
        lock.withLock {
            let usage = (calls, Double(nanoseconds) / 1e9)
            if reset {
                calls = [:]
                nanoseconds = 0
            }
            return usage
        }
    }

    /// A client of `service` signed with fixed keys, sending to this stand-in.
    func client(_ service: AWSService) -> AWSClient {
        let environment = AWSEnvironment(variables: ["AWS_ACCESS_KEY_ID": "bench", "AWS_SECRET_ACCESS_KEY": "bench"])
        return AWSClient(service: service, region: "us-east-1", endpoint: URL(string: "https://\(service.rawValue).synthetic.invalid")!, http: self,
                         credentials: CredentialChain(environment: environment, http: self), retry: RetryPolicy(),
                         logger: Logger(label: "bench", factory: { _ in SwiftLogNoOpLogHandler() }), timeout: .seconds(300))
    }

    /// Fleet discovery through this stand-in.
    var discovery: AWSResourceDiscovery {
        AWSResourceDiscovery(tagging: ResourceGroupsTaggingClient(client: client(.resourceGroupsTagging)),
                             dynamoDB: DynamoDBClient(client: client(.dynamoDB)), ecs: ECSClient(client: client(.ecs)),
                             loadBalancing: ElasticLoadBalancingClient(client: client(.elasticLoadBalancingV2)))
    }

    func send(_ request: HTTPRequest) async throws -> HTTPResponse {
        // Nothing here suspends: the thread's CPU clock measures this answer alone.
        let started = Self.threadNanoseconds()
        let target = request.header("X-Amz-Target") ?? "\(request.method) \(request.url.path)"
        let output: String?
        switch target {
        case "ResourceGroupsTaggingAPI_20170126.GetResources":
            output = (try? JSONDecoder().decode(GetResources.self, from: request.body)).map(resources)
        case "GraniteServiceVersion20100801.GetMetricData":
            output = (try? JSONDecoder().decode(GetMetricData.self, from: request.body)).map(metricData)
        default:
            output = nil
        }
        let body = Data((output ?? #"{"__type": "UnknownOperationException", "message": "not served here"}"#).utf8)
        let spent = Self.threadNanoseconds() &- started
        lock.withLock {
            calls[target, default: 0] += 1
            nanoseconds &+= spent
        }
        return HTTPResponse(status: output == nil ? 400 : 200, headers: ["x-amzn-requestid": "synthetic"], body: body)
    }

    private struct GetResources: Decodable {
        let ResourcesPerPage: Int?
        let PaginationToken: String?
    }

    private struct GetMetricData: Decodable {
        struct Query: Decodable {
            struct Stat: Decodable {
                struct Metric: Decodable {
                    struct Dimension: Decodable { let Name: String; let Value: String }
                    let Dimensions: [Dimension]?
                }
                let Metric: Metric
                let Period: Int
            }
            let Id: String
            let MetricStat: Stat
        }
        let MetricDataQueries: [Query]
        let StartTime: Double
        let EndTime: Double
    }

    /// A page of the fleet's tables, 100 (or as many as asked, up to 100) at a time.
    private func resources(_ input: GetResources) -> String {
        let first = Int(input.PaginationToken ?? "") ?? 0
        let last = min(fleet.tables, first + min(100, input.ResourcesPerPage ?? 50))
        let mappings = (first..<last).map { index in
            #"{"ResourceARN": "arn:aws:dynamodb:us-east-1:123456789012:table/\#(fleet.table(index))", "Tags": [{"Key": "\#(FleetFixture.tag.key)", "Value": "\#(FleetFixture.tag.value)"}]}"#
        }
        return #"{"ResourceTagMappingList": [\#(mappings.joined(separator: ", "))], "PaginationToken": "\#(last < fleet.tables ? String(last) : "")"}"#
    }

    /// Each query's throttles at every period of the range: the value of its table.
    private func metricData(_ input: GetMetricData) -> String {
        let results = input.MetricDataQueries.map { query in
            let period = query.MetricStat.Period
            let table = query.MetricStat.Metric.Dimensions?.first { $0.Name == "TableName" }?.Value ?? ""
            let value = fleet.index(of: Substring(table)).map { fleet.value($0) } ?? 0
            let first = (Int(input.StartTime) + period - 1) / period * period
            let timestamps = Array(stride(from: first, to: Int(input.EndTime.rounded(.up)), by: period))
            return #"{"Id": "\#(query.Id)", "Label": "ThrottledRequests", "Timestamps": [\#(timestamps.map(String.init).joined(separator: ","))], "#
                + #""Values": [\#(timestamps.map { _ in String(value) }.joined(separator: ","))], "StatusCode": "Complete"}"#
        }
        return #"{"MetricDataResults": [\#(results.joined(separator: ", "))]}"#
    }

    private static func threadNanoseconds() -> UInt64 {
        var time = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &time)
        return UInt64(time.tv_sec) * 1_000_000_000 + UInt64(time.tv_nsec)
    }
}
