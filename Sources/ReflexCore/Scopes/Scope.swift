/// The AWS account and region a resource lives in, when they are not the daemon's own: the
/// account by its id (from the role Reflex assumes there), the region by its name. The home
/// scope, the daemon's own credentials and region, has neither.
public struct Scope: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// The account's twelve-digit id; nil for the daemon's own account.
    public let accountID: String?
    /// The region; nil for the daemon's own region.
    public let region: String?

    /// The daemon's own account and region.
    public static let home = Scope(accountID: nil, region: nil)

    /// A scope; nil parts are the daemon's own.
    public init(accountID: String? = nil, region: String? = nil) {
        self.accountID = accountID
        self.region = region
    }

    /// Whether this is the daemon's own account and region.
    public var isHome: Bool { accountID == nil && region == nil }

    /// What target ids start their resource path with: nothing at home, else the account and
    /// region that are not the daemon's (`111111111111/eu-west-1/`, `eu-west-1/`).
    var idPrefix: String {
        [accountID, region].compactMap { $0 }.map { $0 + "/" }.joined()
    }

    /// Splits a target id's resource path into its scope and the `parts` segments naming the
    /// resource: an account id is twelve digits, so it is told from a region.
    static func split(_ path: Substring, parts: Int) -> (scope: Scope, segments: [String])? {
        let segments = path.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        guard segments.count >= parts, segments.count <= parts + 2, !segments.contains(where: \.isEmpty) else { return nil }
        var scoping = Array(segments.dropLast(parts))
        var account: String?
        if let first = scoping.first, isAccountID(first) {
            account = first
            scoping.removeFirst()
        }
        guard scoping.count <= 1, !(scoping.first.map(isAccountID) ?? false) else { return nil }
        return (Scope(accountID: account, region: scoping.first), Array(segments.suffix(parts)))
    }

    /// Whether `text` is an AWS account id: twelve digits.
    public static func isAccountID(_ text: String) -> Bool {
        text.count == 12 && text.allSatisfy { $0.isASCII && $0.isNumber }
    }

    /// Home first, then by account and region.
    public static func < (lhs: Scope, rhs: Scope) -> Bool {
        (lhs.accountID ?? "", lhs.region ?? "") < (rhs.accountID ?? "", rhs.region ?? "")
    }

    /// `account 111111111111, region eu-west-1`; `home` for the daemon's own.
    public var description: String {
        guard !isHome else { return "home" }
        return [accountID.map { "account \($0)" }, region.map { "region \($0)" }].compactMap { $0 }.joined(separator: ", ")
    }
}
