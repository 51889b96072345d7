import Foundation
import ReflexCore

/// An IAM role to assume through STS AssumeRole, as a composition root names it for each
/// account it reaches. Built only from a valid role ARN, so that a typo fails at start-up
/// rather than as an AccessDenied at the first call.
public struct RoleAssumption: Hashable, Sendable {
    /// The role, `arn:PARTITION:iam::ACCOUNT:role/NAME` (the name may carry a path).
    public let roleARN: String
    /// The external id the role's trust policy demands, if any.
    public let externalID: String?
    /// The session name, which CloudTrail shows for every call made with the role.
    public let sessionName: String
    /// How long the credentials last, in seconds.
    public let durationSeconds: Int
    /// The twelve-digit account the role belongs to.
    public let accountID: String

    /// STS refuses durations outside these bounds (the role's own maximum may be lower).
    static let durations = 900...43_200

    /// The role `roleARN`. Throws `RoleAssumptionError` when the ARN is not a role's, the
    /// session name is not one STS takes (2 to 64 of letters, digits and `+=,.@_-`), or the
    /// duration is outside 900...43200 seconds.
    public init(roleARN: String, externalID: String? = nil, sessionName: String = RoleAssumption.defaultSessionName,
                durationSeconds: Int = 3600) throws {
        guard let accountID = RoleARN.accountID(of: roleARN) else {
            throw RoleAssumptionError("\(roleARN) is not an IAM role ARN (arn:PARTITION:iam::ACCOUNT_ID:role/NAME)")
        }
        guard Self.isValidSessionName(sessionName) else {
            throw RoleAssumptionError("role session name \(sessionName) for \(roleARN) is not 2 to 64 of letters, digits and +=,.@_-")
        }
        guard Self.durations.contains(durationSeconds) else {
            throw RoleAssumptionError("duration of \(durationSeconds) s for \(roleARN) is outside 900...43200 s")
        }
        if let externalID, externalID.count < 2 || externalID.count > 1224 {
            throw RoleAssumptionError("external id for \(roleARN) is not 2 to 1224 characters long")
        }
        self.roleARN = roleARN
        self.externalID = externalID
        self.sessionName = sessionName
        self.durationSeconds = durationSeconds
        self.accountID = accountID
    }

    /// `reflex-HOSTNAME` with the short host name, so that CloudTrail tells which machine
    /// acted; characters STS refuses become `-`, and the name is cut at STS's 64. Read once:
    /// the host name may cost a resolver lookup.
    public static let defaultSessionName: String = {
        let host = ProcessInfo.processInfo.hostName.split(separator: ".").first.map(String.init) ?? ""
        let name = "reflex-" + String(host.map { allowedSessionCharacters.contains($0) ? $0 : "-" })
        return String(name.prefix(64))
    }()

    private static let allowedSessionCharacters = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+=,.@_-")

    static func isValidSessionName(_ name: String) -> Bool {
        (2...64).contains(name.count) && name.allSatisfy(allowedSessionCharacters.contains)
    }
}

/// A role that cannot be assumed as written.
public struct RoleAssumptionError: Error, Hashable, Sendable, CustomStringConvertible {
    public let description: String
    init(_ description: String) { self.description = description }
}
