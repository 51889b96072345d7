import Foundation

/// Ed25519 keys as PEM, in the standard DER wrappings (PKCS #8 for the private key, SPKI for
/// the public key), so that `openssl pkeyutl` and other tools read the files Reflex writes.
/// Both wrappings have a fixed prefix before the 32 raw key bytes (RFC 8410).
enum Ed25519PEM {
    private static let privatePrefix: [UInt8] = [0x30, 0x2E, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2B, 0x65, 0x70, 0x04, 0x22, 0x04, 0x20]
    private static let publicPrefix: [UInt8] = [0x30, 0x2A, 0x30, 0x05, 0x06, 0x03, 0x2B, 0x65, 0x70, 0x03, 0x21, 0x00]

    static let privateLabel = "PRIVATE KEY"
    static let publicLabel = "PUBLIC KEY"

    /// The PEM text of a raw 32-byte private key.
    static func privateKey(_ raw: Data) -> String { pem(privateLabel, Data(privatePrefix) + raw) }

    /// The PEM text of a raw 32-byte public key.
    static func publicKey(_ raw: Data) -> String { pem(publicLabel, Data(publicPrefix) + raw) }

    /// The raw private key in `text`, or nil when it is not an Ed25519 private key in PEM.
    static func rawPrivateKey(_ text: String) -> Data? { raw(text, privateLabel, privatePrefix) }

    /// The raw public key in `text`, or nil when it is not an Ed25519 public key in PEM.
    static func rawPublicKey(_ text: String) -> Data? { raw(text, publicLabel, publicPrefix) }

    private static func pem(_ label: String, _ der: Data) -> String {
        "-----BEGIN \(label)-----\n" + der.base64EncodedString() + "\n-----END \(label)-----\n"
    }

    private static func raw(_ text: String, _ label: String, _ prefix: [UInt8]) -> Data? {
        let lines = text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }
        guard let begin = lines.firstIndex(of: "-----BEGIN \(label)-----"),
              let end = lines[begin...].firstIndex(of: "-----END \(label)-----"),
              let der = Data(base64Encoded: lines[(begin + 1)..<end].joined()),
              der.count == prefix.count + 32, Array(der.prefix(prefix.count)) == prefix else { return nil }
        return der.suffix(32)
    }
}
