import CCurl
import Foundation

/// `HTTPClient` on libcurl. Blocking transfers run on a dedicated dispatch queue, never on
/// Swift's cooperative pool; easy handles are kept and reused so connections stay open
/// between requests. TLS peer and host verification are always on; redirects are never
/// followed; a response larger than the request's `maxResponseBytes` is cut off; cancelling the
/// calling task aborts the transfer. Proxies come from the environment (`https_proxy`,
/// `no_proxy`, ...) as curl reads them.
public final class CurlHTTPClient: HTTPClient, @unchecked Sendable {
    private static let globalInit: Void = { curl_global_init(Int(CURL_GLOBAL_DEFAULT)) }()

    private let caBundle: String?
    private let queue = DispatchQueue(label: "reflex.http", attributes: .concurrent)
    // Idle handles, guarded by `lock`. A handle is used by one transfer at a time.
    private let lock = NSLock()
    private var idle: [OpaquePointer] = []

    /// A client; `caBundle` replaces the system's trusted certificates (e.g. `AWS_CA_BUNDLE`).
    public init(caBundle: String? = nil) {
        _ = Self.globalInit
        self.caBundle = caBundle
    }

    deinit {
        for handle in idle { curl_easy_cleanup(UnsafeMutableRawPointer(handle)) }
    }

    public func send(_ request: HTTPRequest) async throws -> HTTPResponse {
        let buffer = ResponseBuffer(limit: request.maxResponseBytes)
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                queue.async {
                    continuation.resume(with: Result { try self.perform(request, into: buffer) })
                }
            }
        } onCancel: {
            buffer.cancel()
        }
    }

    private func checkOut() -> OpaquePointer? {
        lock.lock()
        defer { lock.unlock() }
        if let handle = idle.popLast() { return handle }
        return curl_easy_init().map { OpaquePointer($0) }
    }

    private func checkIn(_ handle: OpaquePointer) {
        lock.lock()
        defer { lock.unlock() }
        idle.append(handle)
    }

    private func perform(_ request: HTTPRequest, into buffer: ResponseBuffer) throws -> HTTPResponse {
        // Cancelled before the queue got to it: nothing was sent.
        if buffer.isCancelled { throw CancellationError() }
        guard let opaque = checkOut() else { throw HTTPError.transport(code: -1, "cannot create a curl handle") }
        let handle = UnsafeMutableRawPointer(opaque)
        defer {
            // Reset clears options but keeps the connection cache for the next request.
            curl_easy_reset(handle)
            checkIn(opaque)
        }
        let unmanaged = Unmanaged.passRetained(buffer)
        defer { unmanaged.release() }

        var headerList: UnsafeMutablePointer<curl_slist>?
        for (name, value) in request.headers { headerList = curl_slist_append(headerList, "\(name): \(value)") }
        // Never wait for a 100-continue that AWS does not send.
        headerList = curl_slist_append(headerList, "Expect:")
        defer { curl_slist_free_all(headerList) }

        _ = ccurl_setopt_string(handle, CURLOPT_URL, request.url.absoluteString)
        _ = ccurl_setopt_long(handle, CURLOPT_NOSIGNAL, 1)
        _ = ccurl_setopt_long(handle, CURLOPT_SSL_VERIFYPEER, 1)
        _ = ccurl_setopt_long(handle, CURLOPT_SSL_VERIFYHOST, 2)
        if let caBundle { _ = ccurl_setopt_string(handle, CURLOPT_CAINFO, caBundle) }
        _ = ccurl_setopt_long(handle, CURLOPT_CONNECTTIMEOUT_MS, max(1, Int(request.connectTimeout.milliseconds)))
        _ = ccurl_setopt_long(handle, CURLOPT_TIMEOUT_MS, max(1, Int(request.timeout.milliseconds)))
        _ = ccurl_setopt_slist(handle, CURLOPT_HTTPHEADER, headerList)
        // Redirects are answers for the caller to judge, never to follow (curl's default, made
        // explicit because a followed redirect could leave the host the caller chose).
        _ = ccurl_setopt_long(handle, CURLOPT_FOLLOWLOCATION, 0)
        // Returning fewer bytes than given makes curl abort the transfer with a write error.
        _ = ccurl_setopt_write_callback(handle, CURLOPT_WRITEFUNCTION, { data, size, count, context in
            let buffer = Unmanaged<ResponseBuffer>.fromOpaque(context!).takeUnretainedValue()
            let bytes = UnsafeRawBufferPointer(start: data, count: size * count)
            guard buffer.admit(bytes.count) else { return 0 }
            buffer.body.append(contentsOf: bytes)
            return bytes.count
        })
        _ = ccurl_setopt_pointer(handle, CURLOPT_WRITEDATA, unmanaged.toOpaque())
        _ = ccurl_setopt_write_callback(handle, CURLOPT_HEADERFUNCTION, { data, size, count, context in
            let buffer = Unmanaged<ResponseBuffer>.fromOpaque(context!).takeUnretainedValue()
            let bytes = UnsafeRawBufferPointer(start: data, count: size * count)
            guard buffer.admit(bytes.count) else { return 0 }
            buffer.addHeaderLine(String(decoding: bytes, as: UTF8.self))
            return bytes.count
        })
        _ = ccurl_setopt_pointer(handle, CURLOPT_HEADERDATA, unmanaged.toOpaque())
        // curl calls this at least about once a second, even while the peer is silent: a
        // non-zero answer aborts the transfer, which bounds how long a cancelled task waits.
        _ = ccurl_setopt_long(handle, CURLOPT_NOPROGRESS, 0)
        _ = ccurl_setopt_xferinfo_callback(handle, CURLOPT_XFERINFOFUNCTION, { context, _, _, _, _ in
            Unmanaged<ResponseBuffer>.fromOpaque(context!).takeUnretainedValue().isCancelled ? 1 : 0
        })
        _ = ccurl_setopt_pointer(handle, CURLOPT_XFERINFODATA, unmanaged.toOpaque())
        switch request.method {
        case "GET":
            _ = ccurl_setopt_long(handle, CURLOPT_HTTPGET, 1)
        default:
            if request.method != "POST" { _ = ccurl_setopt_string(handle, CURLOPT_CUSTOMREQUEST, request.method) }
            _ = ccurl_setopt_long(handle, CURLOPT_POST, 1)
            _ = ccurl_setopt_long(handle, CURLOPT_POSTFIELDSIZE, request.body.count)
            _ = request.body.withUnsafeBytes { bytes in
                // COPYPOSTFIELDS copies the body, so it need not outlive this call.
                ccurl_setopt_pointer(handle, CURLOPT_COPYPOSTFIELDS, UnsafeMutableRawPointer(mutating: bytes.baseAddress ?? UnsafeRawPointer(bitPattern: 1)!))
            }
        }

        let code = curl_easy_perform(handle)
        // Cancelled while the transfer ran: aborted, no answer. A cancel that came after the
        // whole answer arrived changes nothing: the answer (an action's request id) is kept.
        if buffer.isCancelled && code != CURLE_OK { throw CancellationError() }
        if buffer.isOverLimit { throw HTTPError.responseTooLarge(limit: buffer.limit) }
        guard code == CURLE_OK else { throw Self.error(code) }
        var status = 0
        _ = ccurl_getinfo_long(handle, CURLINFO_RESPONSE_CODE, &status)
        return HTTPResponse(status: status, headers: buffer.headers, body: buffer.body)
    }

    private static func error(_ code: CURLcode) -> HTTPError {
        let message = String(cString: curl_easy_strerror(code))
        switch code {
        case CURLE_COULDNT_RESOLVE_HOST, CURLE_COULDNT_RESOLVE_PROXY: return .dns(message)
        case CURLE_COULDNT_CONNECT: return .connect(message)
        case CURLE_OPERATION_TIMEDOUT: return .timeout(message)
        case CURLE_SSL_CONNECT_ERROR, CURLE_PEER_FAILED_VERIFICATION, CURLE_SSL_CERTPROBLEM, CURLE_SSL_CIPHER,
             CURLE_SSL_CACERT_BADFILE, CURLE_SSL_ISSUER_ERROR, CURLE_SSL_PINNEDPUBKEYNOTMATCH, CURLE_SSL_INVALIDCERTSTATUS:
            return .tls(message)
        default: return .transport(code: Int(code.rawValue), message)
        }
    }
}

/// Collects a response's headers and body from curl's callbacks, up to `limit` bytes, and
/// carries the calling task's cancellation to the transfer's thread.
private final class ResponseBuffer: @unchecked Sendable {
    let limit: Int
    var body = Data()
    var headers: [String: String] = [:]
    private(set) var isOverLimit = false
    private var received = 0
    // Set from the cancelling task, read on the transfer's thread.
    private let lock = NSLock()
    private var cancelled = false

    init(limit: Int) { self.limit = limit }

    var isCancelled: Bool { lock.withLock { cancelled } }

    func cancel() { lock.withLock { cancelled = true } }

    /// Counts `count` more bytes; false once the response exceeds the limit.
    func admit(_ count: Int) -> Bool {
        received += count
        isOverLimit = received > limit
        return !isOverLimit
    }

    func addHeaderLine(_ line: String) {
        // A new status line (after a redirect or 100 Continue) starts a new header block.
        if line.hasPrefix("HTTP/") {
            headers = [:]
            return
        }
        guard let colon = line.firstIndex(of: ":") else { return }
        let name = line[..<colon].trimmingCharacters(in: .whitespaces).lowercased()
        headers[name] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
