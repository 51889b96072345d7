import Foundation

/// A datagram socket standing in for systemd's `NOTIFY_SOCKET`: records every message a
/// child process sends with `sd_notify`, with when it arrived.
public final class NotifySocket: @unchecked Sendable {
    /// The socket's path, for `NOTIFY_SOCKET`.
    public let path: String
    private let descriptor: Int32
    private let lock = NSLock()
    private var received: [(at: Date, message: String)] = []

    /// Binds a fresh socket in the temporary directory and starts receiving.
    public init() throws {
        path = "/tmp/reflex-notify-\(UUID().uuidString.prefix(8)).sock"
        descriptor = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue), 0)
        guard descriptor >= 0 else { throw EmulatorError("socket: \(errno)") }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { buffer in
            for (index, byte) in path.utf8.enumerated() { buffer[index] = byte }
        }
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        guard bound == 0 else { throw EmulatorError("bind \(path): \(errno)") }
        // The kernel stamps each message as it arrives: a test thread starved on a loaded
        // machine reads late, and would otherwise see pings bunched together.
        var on: Int32 = 1
        guard setsockopt(descriptor, SOL_SOCKET, SO_TIMESTAMP, &on, socklen_t(MemoryLayout<Int32>.size)) == 0 else {
            throw EmulatorError("setsockopt SO_TIMESTAMP: \(errno)")
        }
        let thread = Thread { [self] in receive() }
        thread.start()
    }

    deinit {
        close(descriptor)
        unlink(path)
    }

    private func receive() {
        var buffer = [UInt8](repeating: 0, count: 8192)
        var control = [UInt8](repeating: 0, count: 256)
        while true {
            var arrived = Date()
            let count = buffer.withUnsafeMutableBytes { data in
                control.withUnsafeMutableBytes { controlBytes in
                    var vector = iovec(iov_base: data.baseAddress, iov_len: data.count)
                    return withUnsafeMutablePointer(to: &vector) { vectorPointer -> Int in
                        var header = msghdr()
                        header.msg_iov = vectorPointer
                        header.msg_iovlen = 1
                        header.msg_control = controlBytes.baseAddress
                        header.msg_controllen = controlBytes.count
                        let count = recvmsg(descriptor, &header, 0)
                        // One control message, SCM_TIMESTAMP: a cmsghdr, then a timeval.
                        if count > 0, header.msg_controllen >= MemoryLayout<cmsghdr>.size + MemoryLayout<timeval>.size {
                            let message = controlBytes.loadUnaligned(as: cmsghdr.self)
                            if message.cmsg_level == SOL_SOCKET, message.cmsg_type == SO_TIMESTAMP {
                                let time = controlBytes.loadUnaligned(fromByteOffset: MemoryLayout<cmsghdr>.size, as: timeval.self)
                                arrived = Date(timeIntervalSince1970: Double(time.tv_sec) + Double(time.tv_usec) / 1_000_000)
                            }
                        }
                        return count
                    }
                }
            }
            guard count > 0 else { return }
            let message = String(decoding: buffer[0..<count], as: UTF8.self)
            lock.withLock { received.append((arrived, message)) }
        }
    }

    /// Every message so far, oldest first.
    public var messages: [(at: Date, message: String)] { lock.withLock { received } }

    /// Every line of every message so far (a message may carry several `KEY=value` lines).
    public var lines: [(at: Date, line: String)] {
        messages.flatMap { message in message.message.split(separator: "\n").map { (message.at, String($0)) } }
    }

    /// Waits up to `timeout` for a line that `matches`, at or after line index `after`;
    /// returns its index.
    @discardableResult
    public func wait(for matches: (String) -> Bool, after: Int = 0, timeout: TimeInterval = 30) async throws -> Int {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            let lines = self.lines
            if let index = lines.indices.first(where: { $0 >= after && matches(lines[$0].line) }) { return index }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw EmulatorError("no matching notify message within \(timeout) s; got: \(lines.map(\.line))")
    }
}
