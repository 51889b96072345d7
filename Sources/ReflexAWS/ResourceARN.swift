/// An Amazon Resource Name split into its fields:
/// `arn:PARTITION:SERVICE:REGION:ACCOUNT:RESOURCE` (the resource part may hold `:` and `/`).
struct ResourceARN: Hashable, Sendable {
    let partition: String
    let service: String
    let region: String
    let account: String
    let resource: String

    /// The fields of `arn`, or nil when it is not an ARN.
    init?(_ arn: String) {
        let fields = arn.split(separator: ":", maxSplits: 5, omittingEmptySubsequences: false)
        guard fields.count == 6, fields[0] == "arn", !fields[2].isEmpty, !fields[5].isEmpty else { return nil }
        partition = String(fields[1])
        service = String(fields[2])
        region = String(fields[3])
        account = String(fields[4])
        resource = String(fields[5])
    }

    /// The table of a DynamoDB table ARN (`table/NAME`); nil for anything else, such as a
    /// table's index or stream (`table/NAME/index/...`).
    var dynamoDBTableName: String? {
        guard service == "dynamodb" else { return nil }
        let parts = resource.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, parts[0] == "table", !parts[1].isEmpty else { return nil }
        return String(parts[1])
    }

    /// The service of an ECS service ARN, with its cluster when the ARN names it: the current
    /// format is `service/CLUSTER/NAME`; the old one, still found on services created before
    /// 2021 in accounts that never opted in, is `service/NAME` without the cluster.
    var ecsService: (cluster: String?, name: String)? {
        guard service == "ecs" else { return nil }
        let parts = resource.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.first == "service", parts.dropFirst().allSatisfy({ !$0.isEmpty }) else { return nil }
        switch parts.count {
        case 2: return (nil, String(parts[1]))
        case 3: return (String(parts[1]), String(parts[2]))
        default: return nil
        }
    }

    /// The name of an ECS cluster given either by name or by ARN (`cluster/NAME`).
    static func ecsClusterName(_ nameOrARN: String) -> String {
        guard let arn = ResourceARN(nameOrARN), arn.service == "ecs", arn.resource.hasPrefix("cluster/") else { return nameOrARN }
        return String(arn.resource.dropFirst("cluster/".count))
    }
}
