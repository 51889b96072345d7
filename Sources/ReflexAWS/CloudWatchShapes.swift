import Foundation

// GetMetricData's request and response, as the CloudWatch JSON protocol spells them.

struct GetMetricDataInput: Encodable, Sendable {
    struct Query: Encodable, Sendable {
        struct Stat: Encodable, Sendable {
            struct Metric: Encodable, Sendable {
                struct Dimension: Encodable, Sendable {
                    let Name: String
                    let Value: String
                }
                let Namespace: String
                let MetricName: String
                let Dimensions: [Dimension]
            }
            let Metric: Metric
            let Period: Int
            let Stat: String
        }
        let Id: String
        let MetricStat: Stat
        let ReturnData: Bool
    }
    let MetricDataQueries: [Query]
    let StartTime: Date
    let EndTime: Date
    let ScanBy: String
    let NextToken: String?
}

struct GetMetricDataOutput: Decodable, Sendable {
    struct Result: Decodable, Sendable {
        let Id: String
        let Timestamps: [Date]?
        let Values: [Double]?
        let StatusCode: String?
    }
    let MetricDataResults: [Result]?
    let NextToken: String?
}
