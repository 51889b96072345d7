/// IAM role ARNs, `arn:PARTITION:iam::ACCOUNT_ID:role/[PATH/]NAME`: what the config names an
/// account by and what STS assumes. One reading, so that the config and the credentials agree
/// on which ARNs are roles and in which account.
public enum RoleARN {
    /// The twelve-digit account of the role `arn`, or nil when `arn` is not an IAM role ARN.
    public static func accountID(of arn: String) -> String? {
        let parts = arn.split(separator: ":", maxSplits: 5, omittingEmptySubsequences: false)
        guard parts.count == 6, parts[0] == "arn", !parts[1].isEmpty, parts[2] == "iam", parts[3].isEmpty,
              Scope.isAccountID(String(parts[4])) else { return nil }
        let resource = parts[5]
        guard resource.hasPrefix("role/"), resource.count > "role/".count, !resource.hasSuffix("/") else { return nil }
        return String(parts[4])
    }
}
