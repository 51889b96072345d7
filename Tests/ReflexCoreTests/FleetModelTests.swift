import ReflexCore
import Testing

struct FleetModelTests {
    @Test(arguments: [
        ("cart-*", "cart-orders", true), ("cart-*", "cart-", true), ("cart-*", "carts", false), ("*-service", "cart-service", true),
        ("c?rt", "cart", true), ("c?rt", "crt", false), ("*", "", true), ("a*a*a*b", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaac", false),
        ("*a*", "banana", true), ("exact", "exact", true), ("exact", "exactly", false),
    ])
    func globsMatchWholeNames(pattern: String, name: String, matches: Bool) {
        #expect(Glob(pattern).matches(name) == matches)
    }

    @Test func aSelectorNeedsEveryTagAndTheNameAndLeavesOutTheExcluded() {
        let selector = TargetSelector(kind: .dynamoDBTable, tags: ["team": "cart", "env": "prod"], name: Glob("cart-*"), exclude: ["cart-legacy"])
        let members = [
            FleetMember(target: .dynamoDBTable(name: "cart-b"), tags: ["team": "cart", "env": "prod", "extra": "x"]),
            FleetMember(target: .dynamoDBTable(name: "cart-a"), tags: ["team": "cart", "env": "prod"]),
            FleetMember(target: .dynamoDBTable(name: "cart-legacy"), tags: ["team": "cart", "env": "prod"]),
            FleetMember(target: .dynamoDBTable(name: "cart-c"), tags: ["team": "cart", "env": "dev"]),
            FleetMember(target: .dynamoDBTable(name: "orders"), tags: ["team": "cart", "env": "prod"]),
            FleetMember(target: .ecsService(cluster: "c", service: "cart-x"), tags: ["team": "cart", "env": "prod"]),
        ]
        #expect(selector.select(members).map(\.target.id) == ["dynamodb:cart-a", "dynamodb:cart-b"])
    }

    @Test func aServiceSelectorKeepsToItsCluster() {
        let selector = TargetSelector(kind: .ecsService, cluster: "ecommerce", name: Glob("*-service"))
        let members = [FleetMember(target: .ecsService(cluster: "ecommerce", service: "cart-service")),
                       FleetMember(target: .ecsService(cluster: "staging", service: "cart-service"))]
        #expect(selector.select(members).map(\.target.id) == ["ecs:ecommerce/cart-service"])
    }

    @Test func templatesResolveEveryVariableOrNothing() {
        #expect(TemplateText.variables(in: "a/${x}/b/${y}").map(\.name) == ["x", "y"])
        #expect(TemplateText.variables(in: "a/${x}/b/${y}").map(\.offset) == [2, 9])
        #expect(TemplateText.variables(in: "plain $ text {x}").isEmpty)
        #expect(TemplateText.variables(in: "open ${x").map(\.name) == ["x"])
        #expect(TemplateText.resolve("tg/${x}-${y}", with: ["x": "1", "y": "2"]) == "tg/1-2")
        #expect(TemplateText.resolve("tg/${x}-${y}", with: ["x": "1"]) == nil)
        #expect(TemplateText.resolve("open ${x", with: ["x": "1"]) == nil)
        #expect(TemplateText.resolve("no variables", with: [:]) == "no variables")
    }

    struct Failure: Error {}

    @Test func theRosterReportsChangesOnceAndKeepsMembersThroughFailures() {
        let selector = TargetSelector(kind: .dynamoDBTable, name: Glob("cart-*"))
        let a = FleetMember(target: .dynamoDBTable(name: "cart-a")), b = FleetMember(target: .dynamoDBTable(name: "cart-b"))
        var roster = FleetRoster()
        #expect(roster.apply([selector: .success([a, b, FleetMember(target: .dynamoDBTable(name: "orders"))])]) == [.added(selector, [a, b])])
        #expect(roster.apply([selector: .success([b, a])]).isEmpty)
        #expect(roster.apply([selector: .failure(Failure())]).count == 1)
        #expect(roster.apply([selector: .failure(Failure())]).isEmpty)
        #expect(roster.members[selector] == [a, b])
        #expect(roster.apply([selector: .success([a])]) == [.recovered(selector), .removed(selector, [b])])
        // A selector no longer used is forgotten.
        #expect(roster.apply([:]).isEmpty)
        #expect(roster.members.isEmpty)
        // The first discovery is reported even when it finds nothing.
        #expect(roster.apply([selector: .success([])]) == [.added(selector, [])])
    }
}
