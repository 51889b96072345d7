import Foundation
import ReflexPolicyFile
import Testing

struct ShippedConfigTests {
    @Test func theExampleDaemonConfigIsValid() throws {
        let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("systemd/reflex.yaml").path
        let config = try ConfigParser.load(path: path)
        #expect(config.database == "/var/lib/reflex/reflex.db")
        #expect(config.policies == "/etc/reflex/policies")
        #expect(config.pollInterval == .minutes(1))
        #expect(config.globalBudget?.description == "10 per 1h")
    }
}
