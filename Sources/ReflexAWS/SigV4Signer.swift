import Crypto
import Foundation
import ReflexHTTP

/// AWS Signature Version 4 for requests with headers (not presigned URLs), after the AWS
/// SigV4 test suite: canonical request, string to sign, derived key, `Authorization` header.
public enum SigV4Signer {
    /// Adds `Host`, `X-Amz-Date`, `X-Amz-Security-Token` (for temporary credentials),
    /// `X-Amz-Content-Sha256` when `signPayloadHeader` is set, and `Authorization` to
    /// `request`, signing every header it carries.
    public static func sign(_ request: inout HTTPRequest, credentials: AWSCredentials, region: String, service: String,
                            date: Date, signPayloadHeader: Bool = false) {
        let (amzDate, day) = timestamps(date)
        if request.header("host") == nil, let host = request.url.host {
            request.headers.append(("Host", request.url.port.map { "\(host):\($0)" } ?? host))
        }
        request.headers.append(("X-Amz-Date", amzDate))
        if let token = credentials.sessionToken { request.headers.append(("X-Amz-Security-Token", token)) }
        let payloadHash = hex(SHA256.hash(data: request.body))
        if signPayloadHeader { request.headers.append(("X-Amz-Content-Sha256", payloadHash)) }

        let canonical = canonicalRequest(request, payloadHash: payloadHash)
        let scope = "\(day)/\(region)/\(service)/aws4_request"
        let stringToSign = ["AWS4-HMAC-SHA256", amzDate, scope, hex(SHA256.hash(data: Data(canonical.request.utf8)))].joined(separator: "\n")
        let key = signingKey(secret: credentials.secretAccessKey, day: day, region: region, service: service)
        let signature = hex(HMAC<SHA256>.authenticationCode(for: Data(stringToSign.utf8), using: key))
        request.headers.append(("Authorization",
            "AWS4-HMAC-SHA256 Credential=\(credentials.accessKeyID)/\(scope), SignedHeaders=\(canonical.signedHeaders), Signature=\(signature)"))
    }

    /// The canonical request and its signed-headers list.
    static func canonicalRequest(_ request: HTTPRequest, payloadHash: String) -> (request: String, signedHeaders: String) {
        var grouped: [String: [String]] = [:]
        for (name, value) in request.headers {
            let lower = name.lowercased()
            guard lower != "authorization" else { continue }
            grouped[lower, default: []].append(value.split(separator: " ", omittingEmptySubsequences: true).joined(separator: " "))
        }
        let names = grouped.keys.sorted()
        let headers = names.map { "\($0):\(grouped[$0]!.joined(separator: ","))\n" }.joined()
        let signedHeaders = names.joined(separator: ";")
        let components = URLComponents(url: request.url, resolvingAgainstBaseURL: false)
        let path = components?.percentEncodedPath ?? "/"
        let canonicalPath = path.isEmpty ? "/" : path.split(separator: "/", omittingEmptySubsequences: false)
            .map { encode(String($0).removingPercentEncoding ?? String($0)) }.joined(separator: "/")
        let pairs: [(name: String, value: String)] = (components?.percentEncodedQueryItems ?? []).map { item in
            let name = item.name.removingPercentEncoding ?? item.name
            let value = item.value.map { $0.removingPercentEncoding ?? $0 } ?? ""
            return (encode(name), encode(value))
        }
        let query = pairs.sorted { $0.name == $1.name ? $0.value < $1.value : $0.name < $1.name }
            .map { "\($0.name)=\($0.value)" }
            .joined(separator: "&")
        let canonical = [request.method, canonicalPath, query, headers, signedHeaders, payloadHash].joined(separator: "\n")
        return (canonical, signedHeaders)
    }

    /// `X-Amz-Date` (`20150830T123600Z`) and the scope's day (`20150830`).
    static func timestamps(_ date: Date) -> (amzDate: String, day: String) {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        let day = String(format: "%04d%02d%02d", parts.year!, parts.month!, parts.day!)
        return (day + String(format: "T%02d%02d%02dZ", parts.hour!, parts.minute!, parts.second!), day)
    }

    private static func signingKey(secret: String, day: String, region: String, service: String) -> SymmetricKey {
        var key = SymmetricKey(data: Data("AWS4\(secret)".utf8))
        for part in [day, region, service, "aws4_request"] {
            key = SymmetricKey(data: Data(HMAC<SHA256>.authenticationCode(for: Data(part.utf8), using: key)))
        }
        return key
    }

    private static let unreserved = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.~".utf8)

    /// RFC 3986 percent-encoding of everything but unreserved characters, as SigV4 wants.
    static func encode(_ text: String) -> String {
        var result = ""
        for byte in text.utf8 {
            if unreserved.contains(byte) { result.append(Character(UnicodeScalar(byte))) } else { result += String(format: "%%%02X", byte) }
        }
        return result
    }

    static func hex<D: Sequence>(_ digest: D) -> String where D.Element == UInt8 {
        digest.map { String(format: "%02x", $0) }.joined()
    }
}
