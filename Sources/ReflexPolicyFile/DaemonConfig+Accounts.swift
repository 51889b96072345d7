import ReflexCore

extension DaemonConfig {
    /// An AWS account beside the daemon's own, reached by assuming a role in it.
    public struct Account: Hashable, Sendable {
        /// The name policies use for it (`account: prod`).
        public let name: String
        /// The role Reflex assumes there, `arn:aws:iam::ACCOUNT:role/NAME`.
        public let roleARN: String
        /// The account's id, from the role's ARN.
        public let id: String
        /// The external id the role's trust policy asks for, written in the config.
        public let externalID: String?
        /// A file holding the external id, read at start-up (kept out of the config itself).
        public let externalIDFile: String?
        /// The role session's name; nil: `reflex-HOST`.
        public let sessionName: String?
        /// How long assumed credentials last; nil: one hour.
        public let duration: TimeSpan?
        /// The regions its policies cover unless they name their own; empty: the daemon's region.
        public let regions: [String]

        /// An account.
        public init(name: String, roleARN: String, id: String, externalID: String? = nil, externalIDFile: String? = nil,
                    sessionName: String? = nil, duration: TimeSpan? = nil, regions: [String] = []) {
            self.name = name
            self.roleARN = roleARN
            self.id = id
            self.externalID = externalID
            self.externalIDFile = externalIDFile
            self.sessionName = sessionName
            self.duration = duration
            self.regions = regions
        }
    }

    /// The configured account with id `id`.
    public func account(id: String) -> Account? {
        accounts.first { $0.id == id }
    }
}

/// AWS region names as the config and policies write them.
enum RegionName {
    /// Whether `name` reads as a region: `us-east-1`, `eu-west-2`, `us-gov-west-1`, `ap-southeast-4`.
    static func isValid(_ name: String) -> Bool {
        let parts = name.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count >= 3, let number = parts.last, !number.isEmpty, number.allSatisfy(\.isNumber) else { return false }
        return parts.dropLast().allSatisfy { !$0.isEmpty && $0.allSatisfy { $0.isASCII && $0.isLowercase } }
    }
}
