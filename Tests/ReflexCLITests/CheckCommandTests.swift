import Foundation
import Testing

struct CheckCommandTests {
    @Test func theShippedPoliciesAreValid() async throws {
        let outcome = try await ReflexBinary.run(["check", "policies"])
        #expect(outcome.status == 0, "\(outcome.stdout)\(outcome.stderr)")
        #expect(outcome.stdout.contains("7 policies in 6 file(s): OK"))
    }

    @Test func everyErrorIsReportedAtFileLineAndColumnThenTheSummaryWithExitOne() async throws {
        let directory = try ReflexBinary.copyOfPolicies { files in
            files["cart-rollback.yaml"] = files["cart-rollback.yaml"]!
                .replacingOccurrences(of: "condition: fill(errors, 0) / requests > 0.01", with: "condition: fill(errors, 0) / reqests > 0.01")
                .replacingOccurrences(of: "for: 3m", with: "fro: 3m")
            files["cart-memory-leak.yaml"] = files["cart-memory-leak.yaml"]!.replacingOccurrences(of: "cooldown: 6h", with: "cooldown: 6 hours")
        }
        let outcome = try await ReflexBinary.run(["check", directory])
        #expect(outcome.status == 1)
        let lines = outcome.stdout.split(separator: "\n").map(String.init)
        #expect(lines == [
            "\(directory)/cart-memory-leak.yaml:19:17: policy 'cart-memory-leak-redeploy': 'cooldown' must be a duration such as 90s, 5m, 1h or 1d, found '6 hours'",
            "\(directory)/cart-rollback.yaml:16:34: policy 'cart-rollback-on-5xx-after-deploy': in 'condition': unknown metric 'reqests'; "
                + "did you mean 'requests'? This policy's metrics are errors, requests, circuit",
            "\(directory)/cart-rollback.yaml:18:5: policy 'cart-rollback-on-5xx-after-deploy': unknown key 'fro' in a policy; did you mean 'for'?",
            "3 errors in 2 of 6 file(s); 5 policies ok",
        ])
    }

    @Test func anExpressionErrorPointsAtItsColumn() async throws {
        let directory = try ReflexBinary.copyOfPolicies { files in
            files = files.filter { $0.key == "cart-rollback.yaml" }
            files["cart-rollback.yaml"] = files["cart-rollback.yaml"]!
                .replacingOccurrences(of: "condition: fill(errors, 0) / requests > 0.01", with: "condition: fill(errors, 0) / reqests > 0.01")
        }
        let outcome = try await ReflexBinary.run(["check", directory])
        #expect(outcome.status == 1)
        #expect(outcome.stdout.hasPrefix("\(directory)/cart-rollback.yaml:16:34: policy 'cart-rollback-on-5xx-after-deploy': "
            + "in 'condition': unknown metric 'reqests'; did you mean 'requests'?"), "\(outcome.stdout)")
    }

    @Test func aMissingPathIsAUsageErrorWithExitTwo() async throws {
        let outcome = try await ReflexBinary.run(["check", "/nonexistent/policies"])
        #expect(outcome.status == 2)
        #expect(outcome.stderr.contains("no such file or directory"))
    }

    @Test func aSymlinkedDirectoryIsFollowed() async throws {
        let directory = try ReflexBinary.copyOfPolicies { _ in }
        try FileManager.default.createSymbolicLink(atPath: directory + "-link", withDestinationPath: directory)
        let outcome = try await ReflexBinary.run(["check", directory + "-link"])
        #expect(outcome.status == 0, "\(outcome.stderr)")
        #expect(outcome.stdout.contains("7 policies in 6 file(s): OK"))
    }

    @Test func noPoliciesAtAllIsAUsageErrorWithExitTwo() async throws {
        let directory = try ReflexBinary.copyOfPolicies { files in files = ["empty.yaml": "policies: []\n"] }
        let outcome = try await ReflexBinary.run(["check", directory])
        #expect(outcome.status == 2)
        #expect(outcome.stderr.contains("reflex check: no policies found in \(directory)"), "\(outcome.stderr)")
    }

    @Test func aDeeplyNestedConditionIsALocatedErrorNotACrash() async throws {
        let nested = String(repeating: "(", count: 7_000) + "errors > 1" + String(repeating: ")", count: 7_000)
        let directory = try ReflexBinary.copyOfPolicies { files in
            files = files.filter { $0.key == "cart-rollback.yaml" }
            files["cart-rollback.yaml"] = files["cart-rollback.yaml"]!
                .replacingOccurrences(of: "condition: fill(errors, 0) / requests > 0.01", with: "condition: " + nested)
        }
        let outcome = try await ReflexBinary.run(["check", directory])
        #expect(outcome.status == 1)
        #expect(outcome.stdout.hasPrefix("\(directory)/cart-rollback.yaml:16:\(16 + 4_096): policy 'cart-rollback-on-5xx-after-deploy': "
            + "in 'condition': the expression is longer than 4096 tokens"), "\(outcome.stdout.prefix(300))")
    }
}
