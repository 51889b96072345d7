import Foundation
import ReflexAWS
import ReflexTestSupport
import Testing

/// ECS, DynamoDB and Application Auto Scaling against the emulator's cart-service world.
@Suite(.serialized)
struct ServiceClientTests {
    /// The seeded emulator, made once for the suite.
    actor World {
        static let shared = World()
        private var made: (emulator: AWSEmulator, taskDefinitions: [String])?

        func get() async throws -> (emulator: AWSEmulator, taskDefinitions: [String]) {
            if let made { return made }
            let emulator = try AWSEmulator.start()
            let world = (emulator, try await emulator.seedCartService())
            made = world
            return world
        }
    }

    @Test func describesTheServiceAndItsRevisions() async throws {
        let world = try await World.shared.get()
        let ecs = ECSClient(client: world.emulator.client(.ecs))
        let service = try await ecs.describeService(cluster: "ecommerce", service: "cart-service")
        #expect(service.desiredCount == 4)
        #expect(service.taskDefinition.flatMap(ECSClient.revision(of:)) == 3)
        #expect(service.newestDeployment?.createdAt != nil)
        let revisions = try await ecs.activeRevisions(family: "cart-service")
        #expect(revisions.compactMap(ECSClient.revision(of:)) == [1, 2, 3])
        let definition = try await ecs.describeTaskDefinition("cart-service:2")
        #expect(definition.revision == 2)
        #expect(definition.family == "cart-service")
        #expect(ECSClient.family(of: world.taskDefinitions[0]) == "cart-service")
    }

    @Test func updatesTheService() async throws {
        let world = try await World.shared.get()
        let ecs = ECSClient(client: world.emulator.client(.ecs))
        let requestID = try await ecs.updateService(cluster: "ecommerce", service: "cart-service", taskDefinition: world.taskDefinitions[1], desiredCount: 6)
        #expect(requestID != nil)
        let service = try await ecs.describeService(cluster: "ecommerce", service: "cart-service")
        #expect(service.desiredCount == 6)
        #expect(service.taskDefinition.flatMap(ECSClient.revision(of:)) == 2)
        try await ecs.updateService(cluster: "ecommerce", service: "cart-service", taskDefinition: world.taskDefinitions[2], desiredCount: 4)
    }

    @Test func aMissingServiceIsATypedError() async throws {
        let world = try await World.shared.get()
        let ecs = ECSClient(client: world.emulator.client(.ecs))
        await #expect { _ = try await ecs.describeService(cluster: "ecommerce", service: "nope") } throws: { error in
            guard let error = error as? AWSError, case .service = error else { return false }
            return true
        }
    }

    @Test func readsAndChangesTableCapacity() async throws {
        let world = try await World.shared.get()
        let dynamo = DynamoDBClient(client: world.emulator.client(.dynamoDB))
        let table = try await dynamo.describeTable("cart-service-carts")
        #expect(table.readCapacity == 100 && table.writeCapacity == 50 && !table.onDemand)
        try await dynamo.setCapacity("cart-service-carts", read: 200, write: 100)
        let raised = try await dynamo.describeTable("cart-service-carts")
        #expect(raised.readCapacity == 200 && raised.writeCapacity == 100)
        try await dynamo.setCapacity("cart-service-carts", read: 100, write: 50)
    }

    @Test func readsAndSetsScalingBounds() async throws {
        let world = try await World.shared.get()
        let scaling = AutoScalingClient(client: world.emulator.client(.applicationAutoScaling))
        #expect(try await scaling.bounds(cluster: "ecommerce", service: "cart-service") == .init(min: 2, max: 10))
        try await scaling.setBounds(cluster: "ecommerce", service: "cart-service", min: 3, max: 20)
        #expect(try await scaling.bounds(cluster: "ecommerce", service: "cart-service") == .init(min: 3, max: 20))
        #expect(try await scaling.bounds(cluster: "ecommerce", service: "unregistered") == nil)
    }
}
