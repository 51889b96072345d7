import Foundation

/// A Python helper beside this file (the AWS emulator, the webhook receiver): started with a
/// pipe on its standard input, which it watches to exit with the tests, and its first output
/// line (a JSON "ready" message) read back.
struct HelperProcess {
    let process: Process
    let input: Pipe
    let ready: Data

    static func start(_ script: String, arguments: [String] = []) throws -> HelperProcess {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent(script).path] + arguments
        let input = Pipe(), output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        try process.run()
        var line = Data()
        while !line.contains(UInt8(ascii: "\n")) {
            let chunk = output.fileHandleForReading.availableData
            guard !chunk.isEmpty else { throw EmulatorError("\(script) exited before it was ready") }
            line.append(chunk)
        }
        return HelperProcess(process: process, input: input, ready: line.prefix { $0 != UInt8(ascii: "\n") })
    }
}
