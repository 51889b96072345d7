import Foundation

/// The CloudWatch Logs call Reflex needs: FilterLogEvents, for counting matching lines.
public struct CloudWatchLogsClient: Sendable {
    let client: AWSClient

    /// CloudWatch Logs through `client`.
    public init(client: AWSClient) {
        precondition(client.service == .cloudWatchLogs, "CloudWatchLogsClient needs a CloudWatch Logs client")
        self.client = client
    }

    private struct FilterInput: Encodable, Sendable {
        let logGroupName: String
        let filterPattern: String
        let startTime: Int64
        let endTime: Int64
        let nextToken: String?
    }
    private struct FilterOutput: Decodable, Sendable {
        struct Event: Decodable, Sendable { let timestamp: Int64? }
        let events: [Event]?
        let nextToken: String?
    }

    /// When each event of `group` matching `pattern` from `start` to before `end` happened,
    /// following every page to the end, each page's call taking a turn of `pacer`.
    func eventTimes(group: String, pattern: String, from start: Date, to end: Date, pacer: CallPacer) async throws -> [Date] {
        // FilterLogEvents' end is inclusive, in milliseconds: the last millisecond before `end`.
        let startMillis = Int64((start.timeIntervalSince1970 * 1000).rounded(.up))
        let endMillis = Int64((end.timeIntervalSince1970 * 1000).rounded(.up)) - 1
        return try await Paging.all("FilterLogEvents") { token in
            let input = FilterInput(logGroupName: group, filterPattern: pattern, startTime: startMillis, endTime: endMillis, nextToken: token)
            let page = try await pacer.paced { try await client.call("FilterLogEvents", input, as: FilterOutput.self).output }
            return ((page.events ?? []).compactMap { $0.timestamp.map { Date(timeIntervalSince1970: Double($0) / 1000) } }, page.nextToken)
        }
    }
}
