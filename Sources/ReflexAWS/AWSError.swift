import ReflexCore
import ReflexHTTP

/// Why an AWS call failed. Never carries credentials, signatures or request bodies.
public enum AWSError: CodedError, Hashable, Sendable, CustomStringConvertible {
    /// AWS answered with an error.
    case service(code: String, message: String, status: Int, requestID: String?)
    /// There was no answer.
    case transport(HTTPError)
    /// No credentials could be found or refreshed.
    case noCredentials(String)
    /// AWS answered something Reflex cannot read.
    case invalidResponse(String)

    /// The AWS error code (`ThrottlingException`, ...) or a Reflex code for the other cases.
    public var code: String {
        switch self {
        case let .service(code, _, _, _): code
        case .transport: "Transport"
        case .noCredentials: "NoCredentials"
        case .invalidResponse: "InvalidResponse"
        }
    }

    public var description: String {
        switch self {
        case let .service(code, message, status, requestID):
            "\(code) (HTTP \(status))" + (message.isEmpty ? "" : ": \(message)") + (requestID.map { " [request \($0)]" } ?? "")
        case let .transport(error): "\(error)"
        case let .noCredentials(message): "no AWS credentials: \(message)"
        case let .invalidResponse(message): "unreadable AWS response: \(message)"
        }
    }
}
