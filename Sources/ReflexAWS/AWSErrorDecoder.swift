import Foundation
import ReflexHTTP

/// Reads the error out of an AWS response: the JSON protocols' body, or the XML of the query
/// protocol (ELBv2) and of IAM failures, which some JSON endpoints return too. Every text
/// taken from the response is bounded (`ExternalText`) here, where it enters: the error goes
/// into logs and decision rows.
enum AWSErrorDecoder {
    static func decode(_ response: HTTPResponse) -> AWSError {
        var requestID = response.headers["x-amzn-requestid"] ?? response.headers["x-amz-request-id"]
        var code = "HTTP\(response.status)"
        var message = ""
        if let object = try? JSONSerialization.jsonObject(with: response.body) as? [String: Any] {
            if let type = (object["__type"] as? String) ?? (object["code"] as? String) { code = sanitize(type) }
            message = (object["message"] as? String) ?? (object["Message"] as? String) ?? ""
        } else if let xml = try? XMLTree.parse(response.body) {
            // `<ErrorResponse><Error><Code>..</Code><Message>..</Message></Error><RequestId>..`,
            // with an `<Errors>` level in some services' variant.
            if let xmlCode = xml.first("Code")?.text, !xmlCode.isEmpty { code = xmlCode }
            message = xml.first("Message")?.text ?? ""
            requestID = requestID ?? xml.first("RequestId")?.text
        }
        if let header = response.headers["x-amzn-query-error"], let queryCode = header.split(separator: ";").first, !queryCode.isEmpty {
            code = String(queryCode)
        } else if let header = response.headers["x-amzn-errortype"], code.hasPrefix("HTTP") {
            code = sanitize(header)
        }
        return .service(code: ExternalText.bounded(code), message: ExternalText.bounded(message), status: response.status,
                        requestID: requestID.map { ExternalText.bounded($0) })
    }

    /// `aws.protocol#FooError:http://...` -> `FooError`, as the Smithy JSON protocols specify.
    static func sanitize(_ type: String) -> String {
        var value = Substring(type)
        if let colon = value.firstIndex(of: ":") { value = value[..<colon] }
        if let hash = value.lastIndex(of: "#") { value = value[value.index(after: hash)...] }
        return String(value)
    }
}
