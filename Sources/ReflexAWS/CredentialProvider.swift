import Foundation
import ReflexHTTP

/// One source of AWS credentials. Returns nil when the source does not apply (its variables
/// or files are absent), throws when it applies but fails.
protocol CredentialProvider: Sendable {
    /// A short name for messages, e.g. `environment`.
    var name: String { get }
    /// The credentials from this source.
    func credentials() async throws -> AWSCredentials?
}

/// `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY` and `AWS_SESSION_TOKEN`.
struct EnvironmentCredentialProvider: CredentialProvider {
    let environment: AWSEnvironment
    var name: String { "environment" }

    func credentials() async throws -> AWSCredentials? {
        guard let key = environment["AWS_ACCESS_KEY_ID"] else { return nil }
        guard let secret = environment["AWS_SECRET_ACCESS_KEY"] else {
            throw AWSError.noCredentials("AWS_ACCESS_KEY_ID is set but AWS_SECRET_ACCESS_KEY is not")
        }
        return AWSCredentials(accessKeyID: key, secretAccessKey: secret,
                              sessionToken: environment["AWS_SESSION_TOKEN"] ?? environment["AWS_SECURITY_TOKEN"], source: name)
    }
}

/// The JSON document that container and instance metadata endpoints return.
struct TemporaryCredentialDocument: Decodable {
    let AccessKeyId: String
    let SecretAccessKey: String
    let Token: String?
    let Expiration: String?

    func credentials(source: String) -> AWSCredentials {
        AWSCredentials(accessKeyID: AccessKeyId, secretAccessKey: SecretAccessKey, sessionToken: Token,
                       expiration: Expiration.flatMap(Self.timestamp), source: source)
    }

    /// An ISO 8601 time with or without fractional seconds: AWS writes `2026-12-02T14:48:55Z`
    /// or with milliseconds, moto with microseconds.
    static func timestamp(_ text: String) -> Date? {
        guard let point = text.firstIndex(of: ".") else { return try? Date(text, strategy: .iso8601) }
        let digitsEnd = text[text.index(after: point)...].firstIndex { !$0.isASCII || !$0.isNumber } ?? text.endIndex
        guard let whole = try? Date(String(text[..<point] + text[digitsEnd...]), strategy: .iso8601),
              let fraction = Double("0" + text[point..<digitsEnd]) else { return nil }
        return whole.addingTimeInterval(fraction)
    }

    static func decode(_ response: HTTPResponse, from source: String) throws -> AWSCredentials {
        guard response.status == 200 else { throw AWSError.noCredentials("\(source) answered HTTP \(response.status)") }
        guard let document = try? JSONDecoder().decode(Self.self, from: response.body) else {
            throw AWSError.noCredentials("\(source) answered without AccessKeyId and SecretAccessKey")
        }
        return document.credentials(source: source)
    }
}

/// ECS task role credentials: `AWS_CONTAINER_CREDENTIALS_RELATIVE_URI` (on 169.254.170.2) or
/// `AWS_CONTAINER_CREDENTIALS_FULL_URI`, with `AWS_CONTAINER_AUTHORIZATION_TOKEN(_FILE)`.
struct ContainerCredentialProvider: CredentialProvider {
    let environment: AWSEnvironment
    let http: any HTTPClient
    var name: String { "container credentials" }

    func credentials() async throws -> AWSCredentials? {
        let address: String
        if let relative = environment["AWS_CONTAINER_CREDENTIALS_RELATIVE_URI"] {
            address = "http://169.254.170.2" + relative
        } else if let full = environment["AWS_CONTAINER_CREDENTIALS_FULL_URI"] {
            address = full
        } else {
            return nil
        }
        guard let url = URL(string: address), Self.isAllowed(url) else {
            throw AWSError.noCredentials("container credentials URI \(address) is neither https nor a local address")
        }
        var headers: [(name: String, value: String)] = [("Accept", "application/json")]
        if let file = environment["AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE"] {
            guard let token = try? String(contentsOfFile: file, encoding: .utf8) else {
                throw AWSError.noCredentials("cannot read AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE \(file)")
            }
            headers.append(("Authorization", token.trimmingCharacters(in: .newlines)))
        } else if let token = environment["AWS_CONTAINER_AUTHORIZATION_TOKEN"] {
            headers.append(("Authorization", token))
        }
        let request = HTTPRequest(method: "GET", url: url, headers: headers, connectTimeout: .seconds(2), timeout: .seconds(5))
        do {
            return try TemporaryCredentialDocument.decode(try await http.send(request), from: name)
        } catch let error as HTTPError {
            throw AWSError.noCredentials("\(name): \(error)")
        }
    }

    private static func isAllowed(_ url: URL) -> Bool {
        guard let host = url.host else { return false }
        return url.scheme == "https" || ["169.254.170.2", "169.254.170.23", "localhost", "::1", "fd00:ec2::23"].contains(host)
            || host.hasPrefix("127.")
    }
}

/// EC2 instance profile credentials through IMDSv2 (a session token first, then the role).
struct InstanceMetadataCredentialProvider: CredentialProvider {
    let environment: AWSEnvironment
    let http: any HTTPClient
    var name: String { "instance metadata" }

    func credentials() async throws -> AWSCredentials? {
        if environment["AWS_EC2_METADATA_DISABLED"]?.lowercased() == "true" { return nil }
        let base = environment["AWS_EC2_METADATA_SERVICE_ENDPOINT"] ?? "http://169.254.169.254"
        func request(_ method: String, _ path: String, _ headers: [(name: String, value: String)]) -> HTTPRequest {
            HTTPRequest(method: method, url: URL(string: base.trimmingCharacters(in: CharacterSet(charactersIn: "/")) + path)!,
                        headers: headers, connectTimeout: .seconds(1), timeout: .seconds(2))
        }
        do {
            let token = try await http.send(request("PUT", "/latest/api/token", [("X-aws-ec2-metadata-token-ttl-seconds", "21600")]))
            // Off EC2 there is nothing listening: not an error, just not this source.
            guard token.status == 200 else { return nil }
            let auth = [(name: "X-aws-ec2-metadata-token", value: String(decoding: token.body, as: UTF8.self))]
            let role = try await http.send(request("GET", "/latest/meta-data/iam/security-credentials/", auth))
            let roleName = String(decoding: role.body, as: UTF8.self).split(whereSeparator: \.isNewline).first.map(String.init) ?? ""
            guard role.status == 200, !roleName.isEmpty else {
                throw AWSError.noCredentials("the instance has no IAM role (HTTP \(role.status))")
            }
            return try TemporaryCredentialDocument.decode(
                try await http.send(request("GET", "/latest/meta-data/iam/security-credentials/\(roleName)", auth)), from: name)
        } catch is HTTPError {
            return nil
        }
    }
}
