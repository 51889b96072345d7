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

    /// The error `paths` fail to load with, if any.
    func pathError(_ paths: [String], allowNoPolicies: Bool = false) -> String? {
        do {
            _ = try PolicyLoader.load(paths: paths, allowNoPolicies: allowNoPolicies)
            return nil
        } catch {
            return error.description
        }
    }

    @Test func symbolicLinksToDirectoriesAndFilesAreFollowed() throws {
        let root = try directory(["sub/a.yaml": Self.policy("a"), "b.yaml": Self.policy("b")])
        let links = try directory([:])
        try FileManager.default.createSymbolicLink(atPath: links + "/policies", withDestinationPath: root)
        try FileManager.default.createSymbolicLink(atPath: links + "/sub/inner", withDestinationPath: root + "/sub")
        try FileManager.default.createSymbolicLink(atPath: links + "/sub/c.yaml", withDestinationPath: root + "/b.yaml")
        #expect(try PolicyLoader.load(paths: [links + "/policies"]).policies.map(\.policy.name) == ["b", "a"])
        let linked = try PolicyLoader.load(paths: [links + "/sub"])
        #expect(linked.files == [links + "/sub/c.yaml", links + "/sub/inner/a.yaml"])
        #expect(linked.policies.map(\.policy.name) == ["b", "a"])
    }

    @Test func aSymbolicLinkLoopIsAnErrorNamingIt() throws {
        let root = try directory(["a.yaml": Self.policy("a")])
        try FileManager.default.createSymbolicLink(atPath: root + "/sub/back", withDestinationPath: root)
        #expect(pathError([root]) == "\(root)/sub/back: a symbolic link loops back to \(root)")
        let selfLoop = try directory([:])
        try FileManager.default.createSymbolicLink(atPath: selfLoop + "/sub/x.yaml", withDestinationPath: selfLoop + "/sub/x.yaml")
        #expect(pathError([selfLoop]) == "\(selfLoop)/sub/x.yaml: a loop of symbolic links")
    }

    // Tests run as root, whom no mode bits stop; these are paths the system refuses to list or
    // read for anyone.
    @Test func anUnreadablePathIsAnErrorNamingIt() throws {
        let root = try directory(["a.yaml": Self.policy("a")])
        try FileManager.default.createSymbolicLink(atPath: root + "/sub/gone", withDestinationPath: root + "/nowhere")
        #expect(pathError([root]) == "\(root)/sub/gone: a symbolic link to nothing")
        #expect(pathError([root + "/a.yaml/policies"]) == "\(root)/a.yaml/policies: Not a directory")
        let fifo = try directory(["a.yaml": Self.policy("a")])
        #expect(mkfifo(fifo + "/sub/b.yaml", 0o600) == 0)
        #expect(pathError([fifo]) == "\(fifo)/sub/b.yaml: not a regular file or directory")
    }

    @Test func noPoliciesAtAllIsAnErrorUnlessAllowed() throws {
        let empty = try directory(["none.yaml": "policies: []\n"])
        #expect(pathError([empty])?.hasPrefix("no policies found in \(empty) ") == true)
        #expect(pathError([empty], allowNoPolicies: true) == nil)
    }
}
