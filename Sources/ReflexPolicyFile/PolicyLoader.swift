import Foundation
import ReflexCore

/// Finds policy files under the paths an operator names, reads them all, and checks what no
/// single file can: that policy names are unique across files.
public enum PolicyLoader {
    /// The outcome of loading: every valid policy and every error, in file order.
    public struct Result: Sendable {
        /// The valid policies.
        public var policies: [PolicyDefinition] = []
        /// Every error found.
        public var errors: [PolicyFileError] = []
        /// The files read.
        public var files: [String] = []
    }

    /// A path that does not exist or cannot be read: a usage problem, not a policy problem.
    public struct PathError: Error, CustomStringConvertible {
        /// What is wrong, with control characters escaped (paths may hold any byte but `/`).
        public let description: String

        init(description: String) {
            self.description = description.escapingControlCharacters
        }
    }

    /// Loads every policy file at or below `paths`. Directories are searched recursively for
    /// `*.yaml` and `*.yml`, leaving out policy tests (`*.test.yaml`). Finding no policy at all
    /// is an error unless `allowNoPolicies`: a daemon watching nothing must be asked for.
    /// Account and region names are read in `context`.
    public static func load(paths: [String], allowNoPolicies: Bool = false,
                            context: ScopeContext = ScopeContext()) throws(PathError) -> Result {
        var result = Result()
        var seen: [String: PolicyDefinition] = [:]
        for file in try files(at: paths, tests: false) {
            result.files.append(file)
            let text: String
            do {
                text = try readText(file)
            } catch {
                result.errors.append(error)
                continue
            }
            let parsed = PolicyParser.parse(text, file: file, context: context)
            result.errors += parsed.errors
            for definition in parsed.policies {
                if let earlier = seen[definition.policy.name] {
                    result.errors.append(PolicyFileError(
                        file: file, line: definition.line, column: 1, policy: definition.policy.name,
                        message: "duplicate policy name, first defined at \(earlier.file):\(earlier.line)"))
                } else {
                    seen[definition.policy.name] = definition
                    result.policies.append(definition)
                }
            }
        }
        if result.policies.isEmpty && result.errors.isEmpty && !allowNoPolicies {
            throw PathError(description: "no policies found in \(paths.joined(separator: " ")) "
                + "(the daemon runs without policies only when its config says 'allow_no_policies: true')")
        }
        return result
    }

    /// The files at or below `paths`, sorted within each path: policy files, or with
    /// `tests: true` policy test files. Symbolic links are followed; a path that cannot be read
    /// or a loop of links is an error naming it.
    public static func files(at paths: [String], tests: Bool) throws(PathError) -> [String] {
        var files: [String] = []
        for path in paths {
            var walk = PolicyFileWalk(tests: tests)
            try walk.walk(path)
            files += walk.found.sorted { $0.relative < $1.relative }.map(\.path)
        }
        return files
    }

    /// Whether `path` names a policy test file.
    public static func isPolicyTest(_ path: String) -> Bool {
        path.hasSuffix(".test.yaml") || path.hasSuffix(".test.yml")
    }

    /// The contents of `file` as UTF-8 text, or an error at its first line.
    public static func readText(_ file: String) throws(PolicyFileError) -> String {
        guard FileManager.default.fileExists(atPath: file) else {
            throw PolicyFileError(file: file, line: 1, column: 1, message: "no such file")
        }
        guard let data = FileManager.default.contents(atPath: file) else {
            throw PolicyFileError(file: file, line: 1, column: 1, message: "cannot read the file (permissions?)")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw PolicyFileError(file: file, line: 1, column: 1, message: "the file is not UTF-8 text")
        }
        return text
    }
}
