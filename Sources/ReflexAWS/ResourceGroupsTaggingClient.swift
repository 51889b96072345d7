import Foundation

/// The Resource Groups Tagging API call Reflex needs: the resources of one type that carry
/// given tags, with all their tags, in one listing across services.
public struct ResourceGroupsTaggingClient: Sendable {
    /// A resource and its tags.
    public struct TaggedResource: Sendable, Hashable {
        /// The resource's ARN.
        public let arn: String
        /// Every tag it carries (not only those asked for).
        public let tags: [String: String]
    }

    /// GetResources' limits: 100 resources a page (asked for: the default is 50), 50 tag
    /// filters a call.
    static let maxPageSize = 100
    static let maxTagFilters = 50

    let client: AWSClient

    /// The Resource Groups Tagging API through `client`.
    public init(client: AWSClient) {
        precondition(client.service == .resourceGroupsTagging, "ResourceGroupsTaggingClient needs a Resource Groups Tagging API client")
        self.client = client
    }

    private struct GetResourcesInput: Encodable, Sendable {
        struct TagFilter: Encodable, Sendable { let Key: String; let Values: [String] }
        let ResourceTypeFilters: [String]
        let TagFilters: [TagFilter]
        let ResourcesPerPage: Int
        let PaginationToken: String?
    }
    private struct GetResourcesOutput: Decodable, Sendable {
        struct Mapping: Decodable, Sendable {
            struct Tag: Decodable, Sendable { let Key: String; let Value: String? }
            let ResourceARN: String?
            let Tags: [Tag]?
        }
        let ResourceTagMappingList: [Mapping]?
        let PaginationToken: String?
    }

    /// The resources of `type` (`dynamodb:table`, `ecs:service`, ...) carrying every tag of
    /// `tags` with its value, every page. GetResources takes at most 50 tag filters: with more,
    /// the first 50 by key narrow the listing and the caller checks the rest.
    public func resources(ofType type: String, tagged tags: [String: String]) async throws -> [TaggedResource] {
        let filters = tags.sorted { $0.key < $1.key }.prefix(Self.maxTagFilters).map { GetResourcesInput.TagFilter(Key: $0.key, Values: [$0.value]) }
        var found: [TaggedResource] = []
        var paging = Paging("GetResources")
        var token: String?
        repeat {
            let page = try await client.call("GetResources", GetResourcesInput(
                ResourceTypeFilters: [type], TagFilters: filters, ResourcesPerPage: Self.maxPageSize, PaginationToken: token),
                as: GetResourcesOutput.self).output
            for mapping in page.ResourceTagMappingList ?? [] {
                guard let arn = mapping.ResourceARN else { continue }
                let tags = (mapping.Tags ?? []).map { ($0.Key, $0.Value ?? "") }
                found.append(TaggedResource(arn: arn, tags: Dictionary(tags, uniquingKeysWith: { _, last in last })))
            }
            token = try paging.next(after: page.PaginationToken)
        } while token != nil
        return found
    }
}
