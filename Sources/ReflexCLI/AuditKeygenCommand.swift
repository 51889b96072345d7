import ArgumentParser
import Foundation
import ReflexAudit

/// `reflex audit keygen`: the Ed25519 key the daemon signs checkpoints with.
struct AuditKeygenCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "keygen",
        abstract: "Write a new Ed25519 checkpoint signing key (mode 0600) and print its public key.",
        discussion: "Give the public key to whoever verifies the log; keep the private key where only the daemon's user reads it.")

    @Option(help: "Where to write the private key (PEM); an existing file is refused.") var out: String
    @Option(help: "Also write the public key (PEM) here.") var publicOut: String?

    func run() throws {
        let key = AuditSigningKey()
        let publicKey = key.publicKey
        do {
            try key.write(to: out)
            if let publicOut { try publicKey.pem.write(toFile: publicOut, atomically: true, encoding: .utf8) }
        } catch {
            printError("reflex audit keygen: \(AuditError.userMessage(for: error) ?? "\(error)")")
            throw ExitCode.usageError
        }
        print("key id \(publicKey.id)")
        print(publicKey.pem, terminator: "")
    }
}
