/// What Reflex read of a target just before deciding how to act on it. Fields the action does
/// not need may be nil.
public struct TargetSnapshot: Hashable, Sendable, Codable {
    /// ECS: the service's desired task count.
    public var desiredCount: Int?
    /// ECS: the task definition revision the service runs.
    public var revision: Int?
    /// ECS: the revision a rollback would go to (last known good, or previous), if any.
    public var rollbackRevision: Int?
    /// ECS: the Application Auto Scaling minimum and maximum, if registered.
    public var scalingMin: Int?
    public var scalingMax: Int?
    /// DynamoDB: provisioned read capacity units.
    public var readCapacity: Int?
    /// DynamoDB: provisioned write capacity units.
    public var writeCapacity: Int?
    /// DynamoDB: whether the table bills on demand.
    public var onDemand: Bool?

    /// A snapshot; unknown fields stay nil.
    public init(desiredCount: Int? = nil, revision: Int? = nil, rollbackRevision: Int? = nil, scalingMin: Int? = nil,
                scalingMax: Int? = nil, readCapacity: Int? = nil, writeCapacity: Int? = nil, onDemand: Bool? = nil) {
        self.desiredCount = desiredCount
        self.revision = revision
        self.rollbackRevision = rollbackRevision
        self.scalingMin = scalingMin
        self.scalingMax = scalingMax
        self.readCapacity = readCapacity
        self.writeCapacity = writeCapacity
        self.onDemand = onDemand
    }
}
