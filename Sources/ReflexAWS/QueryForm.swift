import Foundation

/// The body of an AWS query-protocol request: `name=value` pairs joined by `&`, each side
/// percent-encoded as RFC 3986 wants (what the AWS SDKs send; `+` for a space would be read
/// as a literal plus by some services).
enum QueryForm {
    /// The content type the SDKs send with such a body.
    static let contentType = "application/x-www-form-urlencoded; charset=utf-8"

    /// `parameters` in order, encoded.
    static func encode(_ parameters: [(name: String, value: String)]) -> Data {
        Data(parameters.map { "\(SigV4Signer.encode($0.name))=\(SigV4Signer.encode($0.value))" }.joined(separator: "&").utf8)
    }

    /// A list parameter flattened as the query protocol does: `Name.member.1=...`,
    /// `Name.member.2=...`, numbered from 1.
    static func list(_ name: String, _ values: [String]) -> [(name: String, value: String)] {
        values.enumerated().map { ("\(name).member.\($0.offset + 1)", $0.element) }
    }
}
