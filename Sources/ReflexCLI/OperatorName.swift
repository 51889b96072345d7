import Foundation

/// Who runs the command, as recorded with an operator's decision (an approval, a switch): the
/// Unix user of the process's real user id, not a variable or flag the caller could set.
enum OperatorName {
    static var current: String {
        let uid = getuid()
        guard let entry = getpwuid(uid), let name = entry.pointee.pw_name else { return "uid \(uid)" }
        return String(cString: name)
    }
}
