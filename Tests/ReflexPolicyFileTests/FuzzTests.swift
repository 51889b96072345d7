import Foundation
import ReflexCore
import ReflexPolicyFile
import Testing

/// Feeds the policy reader mutated copies of the shipped policies and random bytes. Any crash
/// kills the test process, so passing means none of the inputs crashed; each input must also
/// come back either valid or with at least one positioned error.
struct FuzzTests {
    static let policiesDirectory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("policies")

    /// SplitMix64: a seeded generator so that any failure can be replayed.
    struct SeededGenerator: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    static let fragments = [
        "{", "}", "[", "]", ":", "-", " ", "\n", "\t", "'", "\"", "#", "&a", "*a", "!!str", "|", ">", ",", "?",
        "0", "-1", "1e400", "9999999999999999999999", "0.0", "nan", "inf", "5m", "999999d", "0s", "p99", "Sum",
        "and", "or", "not", "(", ")", "/", "*", "avg_over(", "predict(x, 1h, ", "trend(", "fill(", "1 of 0",
        "policies:", "name: ", "metrics:", "for: ", "datapoints: ", "action:", "ecs_scale:", "target:", "\u{0}", "é", "🙂",
    ]

    static func mutate(_ text: String, using generator: inout SeededGenerator) -> String {
        var characters = Array(text)
        for _ in 0..<Int.random(in: 1...4, using: &generator) {
            let position = characters.isEmpty ? 0 : Int.random(in: 0..<characters.count, using: &generator)
            switch Int.random(in: 0..<5, using: &generator) {
            case 0: // delete a run
                let end = min(characters.count, position + Int.random(in: 1...12, using: &generator))
                characters.removeSubrange(position..<end)
            case 1: // insert a fragment
                characters.insert(contentsOf: fragments.randomElement(using: &generator)!, at: position)
            case 2: // replace a character
                if !characters.isEmpty { characters[position] = fragments.randomElement(using: &generator)!.first ?? " " }
            case 3: // duplicate a line
                let lines = String(characters).split(separator: "\n", omittingEmptySubsequences: false)
                var copy = lines
                if let line = lines.randomElement(using: &generator) { copy.insert(line, at: Int.random(in: 0...lines.count, using: &generator)) }
                characters = Array(copy.joined(separator: "\n"))
            default: // swap two lines
                var lines = String(characters).split(separator: "\n", omittingEmptySubsequences: false)
                if lines.count > 1 {
                    lines.swapAt(Int.random(in: 0..<lines.count, using: &generator), Int.random(in: 0..<lines.count, using: &generator))
                }
                characters = Array(lines.joined(separator: "\n"))
            }
        }
        return String(characters)
    }

    @Test func tenThousandMutatedPoliciesNeverCrashTheReader() throws {
        let files = try FileManager.default.contentsOfDirectory(atPath: Self.policiesDirectory.path)
            .filter { $0.hasSuffix(".yaml") }.sorted()
        let texts = try files.map { try String(contentsOf: Self.policiesDirectory.appendingPathComponent($0), encoding: .utf8) }
        #expect(texts.count >= 8)
        var generator = SeededGenerator(state: 20_261_126)
        var invalid = 0
        for iteration in 0..<10_000 {
            let index = iteration % texts.count
            let mutated = Self.mutate(texts[index], using: &generator)
            if files[index].contains(".test.") {
                if case .none = try? PolicyTestFile.parse(mutated, file: files[index]) { invalid += 1 }
            } else {
                let parsed = PolicyParser.parse(mutated, file: files[index])
                if !parsed.errors.isEmpty { invalid += 1 }
                // Whatever is valid must also evaluate without trapping.
                for definition in parsed.policies {
                    _ = PolicyEvaluator.evaluate(definition.policy, series: .success([:]), previous: .firing, at: Date(timeIntervalSince1970: 1e9))
                }
            }
        }
        // Most mutations break something; a fuzzer that never produced an error would be broken itself.
        #expect(invalid > 3000)
    }

    @Test func randomBytesAreRejectedWithAPositionedError() {
        var generator = SeededGenerator(state: 7)
        for _ in 0..<2000 {
            let bytes = (0..<Int.random(in: 0...300, using: &generator)).map { _ in UInt8.random(in: 0...255, using: &generator) }
            let text = String(decoding: bytes, as: UTF8.self)
            let parsed = PolicyParser.parse(text, file: "random.yaml")
            #expect(parsed.policies.isEmpty)
            #expect(parsed.errors.allSatisfy { $0.line >= 1 && $0.column >= 1 })
        }
    }

    @Test func randomExpressionsNeverCrashTheParser() {
        var generator = SeededGenerator(state: 99)
        let tokens = ["a", "b", "1", "0.5", "+", "-", "*", "/", ">", "<=", "==", "and", "or", "not", "(", ")", ",",
                      "abs(", "min(", "fill(", "avg_over(", "trend(", "predict(", "5m", "1h", "x", "_", "1e999"]
        for _ in 0..<20_000 {
            let text = (0..<Int.random(in: 0...12, using: &generator)).map { _ in tokens.randomElement(using: &generator)! }
                .joined(separator: Bool.random(using: &generator) ? " " : "")
            if let expression = try? ExpressionParser.parseCondition(text, metrics: ["a", "b"], period: TimeSpan(seconds: 60)) {
                let series = ["a": MetricSeries(period: TimeSpan(seconds: 60), points: [0: 1, 60: 0]),
                              "b": MetricSeries(period: TimeSpan(seconds: 60), points: [60: 2])]
                _ = expression.value(at: 60, series: series, period: TimeSpan(seconds: 60))
            }
        }
    }

    /// A valid policy whose condition is `condition`.
    static func policy(condition: String) -> String {
        """
        policies:
          - name: deep
            metrics: { a: { namespace: N, metric: M, stat: Sum, period: 1m } }
            condition: \(condition)
            target: { ecs_service: { cluster: c, service: s } }
        """
    }

    @Test func deeplyNestedAndVeryLongExpressionsNeverCrash() {
        var generator = SeededGenerator(state: 64)
        let shapes: [(Int) -> String] = [
            { String(repeating: "(", count: $0) + "a > 1" + String(repeating: ")", count: $0) },
            { String(repeating: "not ", count: $0) + "a > 1" },
            { "a > " + String(repeating: "-", count: $0) + "1" },
            { String(repeating: "fill(", count: $0) + "a" + String(repeating: ", 0)", count: $0) + " > 1" },
            { Array(repeating: "a > 1", count: $0).joined(separator: " and ") },
            { Array(repeating: "a", count: $0).joined(separator: " + ") + " > 1" },
        ]
        // Random mixtures of the nesting forms, each opened form closed in reverse order. (Nested
        // window functions are left out: their cost multiplies, which is no crash but slow.)
        let mixed: (Int, inout SeededGenerator) -> String = { depth, generator in
            var open = "", close = ""
            for _ in 0..<depth {
                switch Int.random(in: 0..<5, using: &generator) {
                case 0: open += "("; close = ")" + close
                case 1: open += "-"
                case 2: open += "fill("; close = ", 0)" + close
                case 3: open += "abs("; close = ")" + close
                default: open += "max(1, "; close = ")" + close
                }
            }
            return open + "a" + close + " > 1 and not a < 0"
        }
        let sizes = [1, 2, 63, 64, 65, 200, 1_000, 1_023, 1_024, 2_047, 2_048, 7_000, 20_000, 100_000]
        var conditions = sizes.flatMap { size in shapes.map { $0(size) } }
        conditions += (0..<200).map { _ in mixed(Int.random(in: 1...150, using: &generator), &generator) }
        var accepted = 0
        for condition in conditions {
            let parsed = PolicyParser.parse(Self.policy(condition: condition), file: "deep.yaml")
            #expect(parsed.policies.count + parsed.errors.count == 1)
            #expect(parsed.errors.allSatisfy { $0.line == 4 && $0.column >= 16 })
            for definition in parsed.policies {
                accepted += 1
                // Whatever was accepted evaluates without trapping, with no data at all.
                _ = PolicyEvaluator.evaluate(definition.policy, series: .success([:]), previous: .firing, at: Date(timeIntervalSince1970: 1e9))
            }
        }
        // Everything within the limits is accepted, so the fuzzer reaches evaluation too.
        #expect(accepted >= 6 * 4)
    }

    @Test func anchorsAndAliasesAnywhereAreRefusedWithAPositionedError() throws {
        let files = try FileManager.default.contentsOfDirectory(atPath: Self.policiesDirectory.path)
            .filter { $0.hasSuffix(".yaml") && !$0.contains(".test.") }.sorted()
        let texts = try files.map { try String(contentsOf: Self.policiesDirectory.appendingPathComponent($0), encoding: .utf8) }
        let fragments = ["&a ", "*a", " *a", "&a [x, x]\n", "? *a\n: x\n", "{ *a: 1 }", "[*a, *a]", "<<: *a\n", "&a\n", "!!map &a "]
        var generator = SeededGenerator(state: 445)
        var refused = 0
        for iteration in 0..<2_000 {
            var characters = Array(texts[iteration % texts.count])
            for _ in 0..<Int.random(in: 1...3, using: &generator) {
                characters.insert(contentsOf: fragments.randomElement(using: &generator)!,
                                  at: Int.random(in: 0...characters.count, using: &generator))
            }
            let parsed = PolicyParser.parse(String(characters), file: "alias.yaml")
            #expect(parsed.errors.allSatisfy { $0.line >= 1 && $0.column >= 1 })
            if parsed.errors.contains(where: { $0.message.hasPrefix("YAML anchor") || $0.message.hasPrefix("YAML alias") }) { refused += 1 }
        }
        // Many insertions break the YAML instead; enough land where it reads an anchor or alias.
        #expect(refused > 200)
        for levels in 1...12 {
            var lines = ["l0: &l0 [x, x, x, x, x, x, x, x, x]"]
            for level in 1..<levels {
                lines.append("l\(level): &l\(level) [" + Array(repeating: "*l\(level - 1)", count: 9).joined(separator: ", ") + "]")
            }
            lines.append("? *l\(levels - 1)\n: 1")
            let bomb = lines.joined(separator: "\n")
            #expect(PolicyParser.parse(bomb, file: "bomb.yaml").errors.map { "\($0.line):\($0.column)" } == ["1:5"])
            #expect(throws: PolicyFileError.self) { try PolicyTestFile.parse(bomb, file: "bomb.test.yaml") }
            #expect(throws: PolicyFileError.self) { try ConfigParser.parse(bomb, file: "reflex.yaml") }
        }
    }
}
