import ReflexCore
import ReflexPolicyFile
import Testing

/// The series beside CloudWatch as policy files write them: settings read and checked at their
/// position, fleet variables resolved per instance, and the `when: { condition }` gate.
struct SeriesSourceParserTests {
    @Test func aServiceFleetResolvesItsVariablesInEverySource() throws {
        let parsed = PolicyParser.parse("""
            policies:
              - name: p
                metrics:
                  oom:   { ecs_stopped_tasks: { cluster: "${cluster}", service: "${service}", reason: "OutOfMemoryError*", exit_code: 137 }, period: 1m }
                  lines: { log_events: { group: "/ecs/${service}", pattern: "circuit" }, period: 1m }
                  ready: { http_probe: { url: "http://${service}.internal:8080/ready", every: 20s, timeout: 3s, expect_status: 204 }, period: 1m }
                condition: sum_over(oom, 10m) >= 3
                when: { condition: "lines == 0 and ready > 0.5" }
                target: { ecs_service: { cluster: ecommerce, name: "cart-*" } }
            """, file: "p.yaml")
        #expect(parsed.errors.isEmpty, "\(parsed.errors)")
        let policy = try #require(parsed.policies.first?.policy)
        #expect(policy.templateVariables == ["cluster", "service"])
        #expect(policy.gateCondition?.text == "lines == 0 and ready > 0.5")
        let instance = try #require(policy.instance(for: FleetMember(target: .ecsService(cluster: "ecommerce", service: "cart-api"))))
        #expect(instance.metrics.map(\.query.source) == [
            .ecsStoppedTasks(.init(cluster: "ecommerce", service: "cart-api", reason: Glob("OutOfMemoryError*"), exitCode: 137)),
            .logEvents(.init(group: "/ecs/cart-api", pattern: "circuit")),
            .httpProbe(.init(url: "http://cart-api.internal:8080/ready", expectStatus: 204, timeout: TimeSpan(seconds: 3), every: TimeSpan(seconds: 20))),
        ])
        #expect(instance.metrics.allSatisfy { !$0.query.isCloudWatch })
    }

    @Test func badSourceSettingsAreRefusedAtTheirPosition() {
        let parsed = PolicyParser.parse("""
            policies:
              - name: p
                metrics:
                  ready: { http_probe: { url: "ftp://host/ready", every: 10s }, period: 1m }
                  oom:   { ecs_stopped_tasks: { cluster: "${table}", service: cart }, period: 1m }
                condition: ready < 0.5
                target: { ecs_service: { cluster: ecommerce, service: cart } }
            """, file: "p.yaml")
        #expect(parsed.policies.isEmpty)
        let messages = parsed.errors.map(\.description)
        #expect(messages.contains { $0.hasPrefix("p.yaml:4:35: ") && $0.contains("'url' must be an http:// or https:// URL, found 'ftp://host/ready'") },
                "\(messages)")
    }
}
