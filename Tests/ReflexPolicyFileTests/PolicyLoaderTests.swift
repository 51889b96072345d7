import Foundation
import ReflexPolicyFile
import Testing

struct PolicyLoaderTests {
    /// A fresh directory with the given files.
    func directory(_ files: [String: String]) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("reflex-loader-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path + "/sub", withIntermediateDirectories: true)
        for (name, text) in files { try text.write(toFile: path + "/" + name, atomically: true, encoding: .utf8) }
        return path
    }

    static func policy(_ name: String) -> String {
        """
        policies:
          - name: \(name)
            metrics: { e: { namespace: N, metric: M, stat: Sum, period: 1m } }
            condition: e > 1
            target: { ecs_service: { cluster: c, service: s } }
        """
    }

    @Test func findsPolicyFilesRecursivelyAndLeavesTestsOut() throws {
        let root = try directory(["a.yaml": Self.policy("a"), "sub/b.yml": Self.policy("b"), "a.test.yaml": "tests: []", "notes.txt": "x"])
        let result = try PolicyLoader.load(paths: [root])
        #expect(result.errors.isEmpty)
        #expect(result.policies.map(\.policy.name) == ["a", "b"])
        #expect(try PolicyLoader.files(at: [root], tests: true) == [root + "/a.test.yaml"])
    }

    @Test func duplicateNamesAcrossFilesPointAtTheFirstDefinition() throws {
        let root = try directory(["a.yaml": Self.policy("same"), "b.yaml": Self.policy("same")])
        let result = try PolicyLoader.load(paths: [root])
        #expect(result.policies.count == 1)
        #expect(result.errors.map(\.description) == ["\(root)/b.yaml:2:1: policy 'same': duplicate policy name, first defined at \(root)/a.yaml:2"])
    }

    @Test func aMissingPathIsAUsageError() {
        #expect(throws: PolicyLoader.PathError.self) { try PolicyLoader.load(paths: ["/nonexistent/reflex"]) }
    }

    @Test func aFileThatIsNotUtf8IsReportedNotSkipped() throws {
        let root = try directory([:])
        #expect(FileManager.default.createFile(atPath: root + "/bad.yaml", contents: Data([0xFF, 0xFE, 0x00, 0x41])))
        let result = try PolicyLoader.load(paths: [root])
        #expect(result.errors.map(\.message) == ["the file is not UTF-8 text"])
    }
}
