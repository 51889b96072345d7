import Foundation

/// Finds the policy (or policy test) files at or below one path the operator named. Symbolic
/// links are followed, to files and to directories alike, and anything the system will not let
/// Reflex read is an error naming it: a directory Reflex skipped would silently drop policies.
///
/// "Cannot be read" is what the system says when the file is opened or listed (permissions for
/// the daemon's user, a dangling link, a path through a regular file), not a guess from mode bits.
struct PolicyFileWalk {
    /// Policy test files (`*.test.yaml`) instead of policy files.
    let tests: Bool
    /// The files found, as paths below the named one, with their relative paths to sort by.
    private(set) var found: [(relative: String, path: String)] = []
    /// The directories being walked, outermost first: meeting one of them again below itself
    /// means a symbolic link loops back.
    private var ancestors: [(identity: FileIdentity, path: String)] = []

    /// Device and inode: the same directory reached through different names.
    private struct FileIdentity: Equatable {
        let device: UInt64
        let inode: UInt64
    }

    init(tests: Bool) {
        self.tests = tests
    }

    /// Walks `path`; a file named outright is taken whatever its name.
    mutating func walk(_ path: String) throws(PolicyLoader.PathError) {
        try visit(path, relative: "", named: true)
    }

    private mutating func visit(_ path: String, relative: String, named: Bool) throws(PolicyLoader.PathError) {
        var status = stat()
        guard stat(path, &status) == 0 else { throw Self.statusError(path, errno: errno) }
        switch status.st_mode & S_IFMT {
        case S_IFDIR:
            let identity = FileIdentity(device: UInt64(status.st_dev), inode: UInt64(status.st_ino))
            if let ancestor = ancestors.first(where: { $0.identity == identity }) {
                throw PolicyLoader.PathError(description: "\(path): a symbolic link loops back to \(ancestor.path)")
            }
            ancestors.append((identity, path))
            defer { ancestors.removeLast() }
            for name in try Self.entries(of: path) {
                try visit((path as NSString).appendingPathComponent(name),
                          relative: relative.isEmpty ? name : relative + "/" + name, named: false)
            }
        case S_IFREG:
            if named || isWanted(relative) { found.append((relative, path)) }
        default:
            // Reading a FIFO or a device would block or never end.
            if named || isWanted(relative) {
                throw PolicyLoader.PathError(description: "\(path): not a regular file or directory")
            }
        }
    }

    private func isWanted(_ name: String) -> Bool {
        PolicyLoader.isPolicyTest(name) == tests && (name.hasSuffix(".yaml") || name.hasSuffix(".yml"))
    }

    /// The names in directory `path`, or an error naming it when it cannot be listed.
    private static func entries(of path: String) throws(PolicyLoader.PathError) -> [String] {
        guard let directory = opendir(path) else {
            throw PolicyLoader.PathError(description: "\(path): cannot list the directory: \(String(cString: strerror(errno)))")
        }
        defer { closedir(directory) }
        var names: [String] = []
        errno = 0
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { String(cString: $0.bindMemory(to: CChar.self).baseAddress!) }
            if name != "." && name != ".." { names.append(name) }
        }
        guard errno == 0 else {
            throw PolicyLoader.PathError(description: "\(path): cannot list the directory: \(String(cString: strerror(errno)))")
        }
        return names
    }

    private static func statusError(_ path: String, errno code: Int32) -> PolicyLoader.PathError {
        switch code {
        case ELOOP:
            return PolicyLoader.PathError(description: "\(path): a loop of symbolic links")
        case ENOENT:
            var link = stat()
            let dangling = lstat(path, &link) == 0 && (link.st_mode & S_IFMT) == S_IFLNK
            return PolicyLoader.PathError(description: dangling ? "\(path): a symbolic link to nothing" : "\(path): no such file or directory")
        default:
            return PolicyLoader.PathError(description: "\(path): \(String(cString: strerror(code)))")
        }
    }
}
