import Foundation
import Yams

/// A policy file given where a policy test file is expected, or the other way round. The
/// file's top-level key says which it is (`policies:` or `policy_files:`), so the error can
/// say so, instead of calling that key unknown.
enum FileKindMismatch {
    /// The error for a policy file read as a test file, at its `policies:` key; nil otherwise.
    static func policyFileAsTest(_ root: Node, file: String) -> PolicyFileError? {
        guard let key = topKey("policies", of: root), topKey("policy_files", of: root) == nil else { return nil }
        let stem = ["yaml", "yml"].contains((file as NSString).pathExtension) ? (file as NSString).deletingPathExtension : file
        let test = stem + ".test.yaml"
        let next = FileManager.default.fileExists(atPath: test)
            ? "its tests are in \(test): run reflex test \(test), or reflex test on the directory"
            : "write its tests in \(test), with 'policy_files: [\((file as NSString).lastPathComponent)]' and 'tests:'"
        return PolicyFileError(file: file, line: key.line, column: key.column,
                               message: "this is a policy file ('policies:'), not a policy test file (named *.test.yaml, "
                                   + "with 'policy_files:' and 'tests:'); " + next)
    }

    /// The error for a test file read as a policy file, at its `policy_files:` key; nil otherwise.
    static func testFileAsPolicies(_ root: Node, file: String) -> PolicyFileError? {
        guard let key = topKey("policy_files", of: root), topKey("policies", of: root) == nil else { return nil }
        return PolicyFileError(file: file, line: key.line, column: key.column,
                               message: "this is a policy test file ('policy_files:'), not a policy file; run it with reflex test \(file)"
                                   + (PolicyLoader.isPolicyTest(file) ? "" : ", and name it *.test.yaml so that reflex check leaves it out"))
    }

    private static func topKey(_ name: String, of root: Node) -> Mark? {
        guard case let .mapping(mapping) = root, let key = mapping.keys.first(where: { $0.scalar?.string == name }) else { return nil }
        return key.mark
    }
}
