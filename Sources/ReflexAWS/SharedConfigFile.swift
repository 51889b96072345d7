import Foundation

/// The AWS shared config and credentials files (`~/.aws/config`, `~/.aws/credentials`):
/// INI sections of `key = value`. In the config file profiles are `[profile NAME]` (or
/// `[default]`); in the credentials file they are `[NAME]`.
struct SharedConfigFile {
    /// Keys by profile name.
    let profiles: [String: [String: String]]

    /// Reads `path`; a missing file is an empty one.
    init(path: String, isConfigFile: Bool) {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            profiles = [:]
            return
        }
        var profiles: [String: [String: String]] = [:]
        var current: String?
        for rawLine in text.split(whereSeparator: \.isNewline) {
            let line = rawLine.trimmingCharacters(in: .whitespaces)
            if line.isEmpty || line.hasPrefix("#") || line.hasPrefix(";") { continue }
            if line.hasPrefix("["), line.hasSuffix("]") {
                let name = line.dropFirst().dropLast().trimmingCharacters(in: .whitespaces)
                if isConfigFile {
                    if name == "default" {
                        current = name
                    } else if name.hasPrefix("profile ") {
                        current = name.dropFirst("profile ".count).trimmingCharacters(in: .whitespaces)
                    } else {
                        current = nil // [sso-session ...], [services ...]: not profiles
                    }
                } else {
                    current = name
                }
                continue
            }
            guard let current, let equals = line.firstIndex(of: "=") else { continue }
            let key = line[..<equals].trimmingCharacters(in: .whitespaces).lowercased()
            let value = line[line.index(after: equals)...].trimmingCharacters(in: .whitespaces)
            profiles[current, default: [:]][key] = value
        }
        self.profiles = profiles
    }
}

/// The environment and files that AWS settings are read from, so tests can supply their own.
public struct AWSEnvironment: Sendable {
    /// Environment variables.
    public let variables: [String: String]

    /// The process environment.
    public init(variables: [String: String] = ProcessInfo.processInfo.environment) {
        self.variables = variables
    }

    /// The value of `name`, if set and not empty.
    public subscript(_ name: String) -> String? {
        guard let value = variables[name], !value.isEmpty else { return nil }
        return value
    }

    /// The profile in effect: `AWS_PROFILE`, else `default`.
    var profile: String { self["AWS_PROFILE"] ?? self["AWS_DEFAULT_PROFILE"] ?? "default" }

    private var home: String { self["HOME"] ?? NSHomeDirectory() }

    /// The profile's keys from both files; the credentials file wins where both set a key.
    func profileSettings() -> [String: String] {
        sharedProfiles()[profile] ?? [:]
    }

    /// Every profile's keys from both files, merged as `profileSettings` merges them.
    func sharedProfiles() -> [String: [String: String]] {
        let config = SharedConfigFile(path: self["AWS_CONFIG_FILE"] ?? home + "/.aws/config", isConfigFile: true)
        let credentials = SharedConfigFile(path: self["AWS_SHARED_CREDENTIALS_FILE"] ?? home + "/.aws/credentials", isConfigFile: false)
        return config.profiles.merging(credentials.profiles) { fromConfig, fromCredentials in
            fromConfig.merging(fromCredentials) { _, fromCredentials in fromCredentials }
        }
    }

    /// The region: `configured` (the daemon config), `AWS_REGION`, `AWS_DEFAULT_REGION`, then
    /// the profile's `region`.
    public func region(configured: String?) -> String? {
        configured ?? self["AWS_REGION"] ?? self["AWS_DEFAULT_REGION"] ?? profileSettings()["region"]
    }

    /// The endpoint of `service`: `AWS_ENDPOINT_URL_<SERVICE>`, `AWS_ENDPOINT_URL`, or AWS's.
    public func endpoint(for service: AWSService, region: String) -> URL? {
        if let override = self[service.endpointVariable] ?? self["AWS_ENDPOINT_URL"] { return URL(string: override) }
        return URL(string: "https://\(service.endpointPrefix).\(region).amazonaws.com")
    }
}
