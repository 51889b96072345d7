import Crypto
import Foundation

/// The Ed25519 key the daemon signs checkpoints with. Read from a file that only its owner may
/// read; the key itself never appears in a message, a log line or a row.
public struct AuditSigningKey: Sendable {
    let key: Curve25519.Signing.PrivateKey

    /// A new random key.
    public init() { key = Curve25519.Signing.PrivateKey() }

    /// Reads the key in `path` (PEM, PKCS #8). Refused when the file is readable or writable by
    /// its group or by others: a checkpoint proves only as much as the key is private.
    public init(contentsOf path: String) throws {
        var status = stat()
        guard stat(path, &status) == 0 else {
            throw AuditError(.badKey, "cannot read the signing key \(path): \(String(cString: strerror(errno)))")
        }
        guard status.st_mode & 0o077 == 0 else {
            throw AuditError(.badKey, "the signing key \(path) is accessible to its group or to others (mode \(String(status.st_mode & 0o777, radix: 8))); "
                + "it must be readable by its owner only: chmod 600 \(path)")
        }
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw AuditError(.badKey, "cannot read the signing key \(path)")
        }
        guard let raw = Ed25519PEM.rawPrivateKey(text), let key = try? Curve25519.Signing.PrivateKey(rawRepresentation: raw) else {
            throw AuditError(.badKey, "\(path) is not an Ed25519 private key in PEM (write one with reflex audit keygen)")
        }
        self.key = key
    }

    /// The public half, which verifies what this key signs.
    public var publicKey: AuditPublicKey { AuditPublicKey(key: key.publicKey) }

    /// Writes the key to `path` as PEM, created with mode 0600; an existing file is refused,
    /// so that a key in use is never overwritten.
    public func write(to path: String) throws {
        let descriptor = open(path, O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else {
            throw AuditError(.badKey, "cannot create \(path): \(String(cString: strerror(errno)))")
        }
        let file = FileHandle(fileDescriptor: descriptor, closeOnDealloc: true)
        do {
            try file.write(contentsOf: Data(Ed25519PEM.privateKey(key.rawRepresentation).utf8))
            try file.synchronize()
        } catch {
            throw AuditError(.badKey, "cannot write \(path): \(error)")
        }
    }

    /// The signature of `text`'s UTF-8 bytes, base64.
    func sign(_ text: String) throws -> String {
        try key.signature(for: Data(text.utf8)).base64EncodedString()
    }
}

/// The public half of an `AuditSigningKey`: what an auditor verifies checkpoints with.
public struct AuditPublicKey: Sendable {
    let key: Curve25519.Signing.PublicKey

    init(key: Curve25519.Signing.PublicKey) { self.key = key }

    /// Reads a public key in PEM (SPKI), as `reflex audit keygen` prints it.
    public init(pem text: String, source: String) throws {
        guard let raw = Ed25519PEM.rawPublicKey(text), let key = try? Curve25519.Signing.PublicKey(rawRepresentation: raw) else {
            throw AuditError(.badKey, "\(source) is not an Ed25519 public key in PEM")
        }
        self.key = key
    }

    /// The key as PEM.
    public var pem: String { Ed25519PEM.publicKey(key.rawRepresentation) }

    /// The key's id: the first 16 hex digits of the SHA-256 of its 32 raw bytes.
    public var id: String { String(DecisionChain.sha256(key.rawRepresentation).prefix(16)) }

    /// Whether `signature` (base64) is this key's signature of `text`'s UTF-8 bytes.
    func isValid(_ signature: String, for text: String) -> Bool {
        guard let bytes = Data(base64Encoded: signature) else { return false }
        return key.isValidSignature(bytes, for: Data(text.utf8))
    }
}
