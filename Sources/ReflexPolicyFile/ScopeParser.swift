import ReflexCore
import Yams

/// Reads where a policy looks: `account: NAME` or `accounts: [NAMES]` (accounts of the
/// daemon config) and `region: NAME` or `regions: [NAMES]`. Each account and region pair is a
/// scope, an instance of the policy; without them the policy covers the daemon's own account
/// and region. An account without regions of its own or the policy's is read in the daemon's
/// region.
enum ScopeParser {
    static let keys = ["account", "accounts", "region", "regions"]

    /// The scopes `fields` give, resolving account names in the context's accounts (none known:
    /// a policy naming an account cannot be checked) and writing the daemon's own region as nil.
    static func scopes(_ fields: MappingReader, context: ScopeContext, reader: NodeReader) throws(PolicyFileError) -> [Scope] {
        let accounts = context.accounts
        let names = try list(fields, one: "account", many: "accounts", reader: reader)
        let regions = try list(fields, one: "region", many: "regions", reader: reader)
        for (name, node) in regions ?? [] where !RegionName.isValid(name) {
            throw reader.error(node, "'\(name)' is not a region name (like us-east-1)")
        }
        func own(_ region: String?) -> String? { region == context.homeRegion ? nil : region }
        let policyRegions = regions.map { $0.map(\.name) }
        guard let names else { return unique(policyRegions?.map { Scope(region: own($0)) } ?? [.home]) }
        var scopes: [Scope] = []
        for (name, node) in names {
            guard let accounts else {
                throw reader.error(node, "account '\(name)' is defined in the daemon config, which was not given: check with --config FILE")
            }
            guard let account = accounts.first(where: { $0.name == name }) else {
                let known = accounts.isEmpty ? "the config defines no 'accounts'" : "the config's accounts: " + accounts.map(\.name).joined(separator: ", ")
                throw reader.error(node, "account '\(name)' is not configured\(NearestName.didYouMean(name, among: accounts.map(\.name))); \(known)")
            }
            let regions: [String?] = policyRegions ?? (account.regions.isEmpty ? [nil] : account.regions)
            scopes += regions.map { Scope(accountID: account.id, region: own($0)) }
        }
        return unique(scopes)
    }

    /// `scopes` in order, each once.
    private static func unique(_ scopes: [Scope]) -> [Scope] {
        var seen: Set<Scope> = []
        return scopes.filter { seen.insert($0).inserted }
    }

    /// The names under `one` (a string) or `many` (a list), each with its node; nil when
    /// neither is given.
    private static func list(_ fields: MappingReader, one: String, many: String,
                             reader: NodeReader) throws(PolicyFileError) -> [(name: String, node: Node)]? {
        if fields[one] != nil, let both = fields.keyNode(many) {
            throw reader.error(both, "give '\(one)' or '\(many)', not both")
        }
        if let node = fields[one] { return [(try reader.nonEmptyString(node, "'\(one)'"), node)] }
        guard let node = fields[many] else { return nil }
        let items = try reader.sequence(node, "'\(many)'")
        guard !items.isEmpty else { throw reader.error(node, "'\(many)' must name at least one") }
        var names: [(name: String, node: Node)] = []
        for item in items { names.append((try reader.nonEmptyString(item, "an item of '\(many)'"), item)) }
        return names
    }
}
