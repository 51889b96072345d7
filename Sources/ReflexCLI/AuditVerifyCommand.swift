import ArgumentParser
import Foundation
import ReflexAudit

/// `reflex audit verify`: the hash chain, and with a public key the signed checkpoints.
struct AuditVerifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify", abstract: "Check the hash chain (and signed checkpoints); exit 1 at the first decision that does not match.")

    @OptionGroup var database: DatabaseOptions
    @Option(help: ArgumentHelp("Also check every checkpoint's signature with this Ed25519 public key (PEM), and that the chain passes through each; repeat it for the keys of a key change.", valueName: "file"))
    var publicKey: [String] = []
    @Option(help: "An exported checkpoint (JSON, or an audit.checkpoint webhook body) that the log must still hold unchanged; needs --public-key.")
    var checkpoint: String?

    func validate() throws {
        if checkpoint != nil && publicKey.isEmpty { throw ValidationError("--checkpoint needs --public-key to check its signature") }
    }

    func run() throws {
        let reader = try withDecisionLog { try AuditReader(path: try database.path()) }
        let (keys, exported) = try withDecisionLog { try readKeysAndCheckpoint() }
        let chain = try withDecisionLog { try reader.verify() }
        guard case let .intact(rows, firstID, lastID) = chain else {
            if case let .broken(id, problem) = chain { print("BROKEN at decision \(id): \(problem)") }
            throw ExitCode.checkFailed
        }
        var line = "OK: \(rows) decisions" + (firstID.map { " (ids \($0)-\(lastID ?? $0))" } ?? "") + ", hash chain intact"
        if !keys.isEmpty {
            switch try withDecisionLog({ try reader.verifyCheckpoints(with: keys, exported: exported) }) {
            case let .intact(checkpoints, lastCovered):
                line += ", \(checkpoints) checkpoints signed by key\(keys.count == 1 ? "" : "s") \(keys.map(\.id).joined(separator: ", "))"
                if let exported { line += ", exported checkpoint \(exported.id) holds" }
                else if let lastCovered { line += " (up to decision \(lastCovered))" }
            case let .broken(id, problem):
                print("BROKEN at decision \(id): \(problem)")
                throw ExitCode.checkFailed
            }
        }
        print(line)
    }

    /// The public keys and the exported checkpoint named on the command line, if any.
    private func readKeysAndCheckpoint() throws -> ([AuditPublicKey], Checkpoint?) {
        let keys = try publicKey.map { file in
            guard let text = try? String(contentsOfFile: file, encoding: .utf8) else {
                throw AuditError(.badKey, "cannot read the public key \(file)")
            }
            return try AuditPublicKey(pem: text, source: file)
        }
        guard let checkpoint else { return (keys, nil) }
        guard let data = FileManager.default.contents(atPath: checkpoint) else {
            throw AuditError(.badCheckpoint, "cannot read the checkpoint \(checkpoint)")
        }
        return (keys, try Checkpoint(exported: data, source: checkpoint))
    }
}
