import Foundation
import ReflexAudit
import Testing

/// `reflex audit verify --public-key` and `--checkpoint` against a log tampered with by someone
/// with write access to the file, each with the real binary on a real log.
struct AuditCheckpointCommandTests {
    @Test func anUntouchedLogVerifiesWithAndWithoutAnExportedCheckpoint() async throws {
        let log = try SignedLogFixture()
        #expect(try await log.verify().stdout == "OK: 10 decisions (ids 1-10), hash chain intact\n")
        let signed = try await log.verify(["--public-key", log.publicKey])
        #expect(signed.status == 0)
        #expect(signed.stdout == "OK: 10 decisions (ids 1-10), hash chain intact, 2 checkpoints signed by key \(log.keyID) (up to decision 7)\n")
        let exported = try await log.verify(["--public-key", log.publicKey, "--checkpoint", try await log.export(8)])
        #expect(exported.status == 0, "\(exported.stderr)")
        #expect(exported.stdout == "OK: 10 decisions (ids 1-10), hash chain intact, 2 checkpoints signed by key \(log.keyID), exported checkpoint 8 holds\n")
    }

    @Test func checkpointsAreListedAndExportedAsSigned() async throws {
        let log = try SignedLogFixture()
        let table = try await ReflexBinary.run(["audit", "checkpoints", "--db", log.path])
        let lines = table.stdout.split(separator: "\n").map { $0.split(separator: " ", omittingEmptySubsequences: true).map(String.init) }
        #expect(lines.map(\.first) == ["ID", "4", "8"])
        #expect(lines[1].prefix(4) == ["4", "2026-01-01T00:03:01.000Z", "start", "3"])
        #expect(lines[2].prefix(4) == ["8", "2026-01-01T00:06:01.000Z", "interval", "7"])
        let exported = try await ReflexBinary.run(["audit", "checkpoint", "export", "--db", log.path])
        let fields = try #require(try JSONSerialization.jsonObject(with: Data(exported.stdout.utf8)) as? [String: Any])
        #expect(fields["id"] as? Int == 8)
        #expect(fields["last_decision_id"] as? Int == 7)
        #expect(fields["decision_count"] as? Int == 7)
        #expect(fields["key_id"] as? String == log.keyID)
        #expect(fields["time"] as? String == "2026-01-01T00:06:01.000Z")
        // It lists the hashes since the previous checkpoint's row (in its own row, by digest here).
        #expect(fields["covered_from"] as? Int == 4)
        #expect((fields["covered_hashes"] as? String)?.count == 64 && fields["hashes"] == nil)
        let listed = try await ReflexBinary.run(["audit", "checkpoints", "--format", "json", "--db", log.path])
        let all = try #require(try JSONSerialization.jsonObject(with: Data(listed.stdout.utf8)) as? [[String: Any]])
        #expect(all.map { $0["id"] as? Int } == [4, 8])
        // The second names the first as its previous.
        #expect(all[0]["previous_checkpoint_hash"] as? String == String(repeating: "0", count: 64))
        #expect((all[1]["previous_checkpoint_hash"] as? String)?.count == 64 && all[1]["previous_checkpoint_hash"] as? String != all[0]["previous_checkpoint_hash"] as? String)
        let missing = try await ReflexBinary.run(["audit", "checkpoint", "export", "5", "--db", log.path])
        #expect(missing.status == 2)
        #expect(missing.stderr == "reflex: no checkpoint with id 5\n")
    }

    @Test func rowsDeletedAtTheEndAreFoundOnlyWithAnExportedCheckpoint() async throws {
        let log = try SignedLogFixture()
        let copy = try await log.export(8)
        try await log.tamper("DELETE FROM decisions WHERE id >= 6")
        // The chain and the checkpoint left in the log cannot see it: the rows are simply gone.
        #expect(try await log.verify().stdout == "OK: 5 decisions (ids 1-5), hash chain intact\n")
        #expect(try await log.verify(["--public-key", log.publicKey]).status == 0)
        let broken = try await log.verify(["--public-key", log.publicKey, "--checkpoint", copy])
        #expect(broken.status == 1)
        #expect(broken.stdout == "BROKEN at decision 6: decisions 6 to 8 were removed: the exported checkpoint 8 (2026-01-01T00:06:01.000Z) "
            + "vouches for decisions up to 7 and its own row, the log ends at 5\n")
    }

    @Test func aRowRewrittenWithEveryLaterHashRecomputedIsNamed() async throws {
        let log = try SignedLogFixture()
        let copy = try await log.export(8)
        try await log.tamper("UPDATE decisions SET detail = 'nothing happened' WHERE id = 6", recomputeFrom: 6)
        #expect(try await log.verify().stdout == "OK: 10 decisions (ids 1-10), hash chain intact\n")
        let expected = "BROKEN at decision 6: decision 6 no longer matches the hash checkpoint 8 signed for it at 2026-01-01T00:06:01.000Z: "
            + "it was altered or replaced, and every later hash recomputed\n"
        let signed = try await log.verify(["--public-key", log.publicKey])
        #expect(signed.status == 1)
        #expect(signed.stdout == expected)
        #expect(try await log.verify(["--public-key", log.publicKey, "--checkpoint", copy]).stdout == expected)

        // Before the first checkpoint, named by it.
        let earlier = try SignedLogFixture()
        try await earlier.tamper("UPDATE decisions SET reason = 'clear' WHERE id = 2", recomputeFrom: 2)
        #expect(try await earlier.verify(["--public-key", earlier.publicKey]).stdout
            == "BROKEN at decision 2: decision 2 no longer matches the hash checkpoint 4 signed for it at 2026-01-01T00:03:01.000Z: "
            + "it was altered or replaced, and every later hash recomputed\n")
    }

    @Test func aRewriteThatAlsoRemovesTheCheckpointsIsFoundByTheExportedCopy() async throws {
        let log = try SignedLogFixture()
        let copy = try await log.export(8)
        try await log.tamper("DELETE FROM decisions WHERE kind = 'audit-checkpoint'; UPDATE decisions SET id = id - 1 WHERE id > 4; "
            + "UPDATE decisions SET id = id - 1 WHERE id > 7; UPDATE decisions SET detail = 'nothing happened' WHERE id = 2", recomputeFrom: 2)
        #expect(try await log.verify().stdout == "OK: 8 decisions (ids 1-8), hash chain intact\n")
        #expect(try await log.verify(["--public-key", log.publicKey]).stdout.hasPrefix("OK: 8 decisions (ids 1-8), hash chain intact, 0 checkpoints"))
        let broken = try await log.verify(["--public-key", log.publicKey, "--checkpoint", copy])
        #expect(broken.status == 1)
        #expect(broken.stdout == "BROKEN at decision 7: decision 7 no longer matches the hash the exported checkpoint 8 signed at "
            + "2026-01-01T00:06:01.000Z: the chain was rewritten (a decision from 1 to 7 was changed and every later hash recomputed)\n")
    }

    @Test func aCheckpointForgedWithoutTheKeyIsFound() async throws {
        let log = try SignedLogFixture()
        // Rows 9 and 10 hidden, and a checkpoint claiming the log ends there: the fields are
        // public, the signature cannot be made without the key.
        let genuine = try AuditReader(path: log.path).checkpoint(id: 8)
        let forged = """
            {"covered_from":8,"covered_hashes":"\(genuine.coveredHashes)","decision_count":8,"head_hash":"\(genuine.headHash)",\
            "key_id":"\(log.keyID)","last_decision_id":8,\
            "previous_checkpoint_hash":"\(genuine.hash)","signature":"\(Data(count: 64).base64EncodedString())","time":"2026-01-01T00:09:00.000Z","trigger":"stop"}
            """
        try await log.tamper("""
            DELETE FROM decisions WHERE id >= 9;
            INSERT INTO decisions (id, recorded_at, kind, reason, detail, parameters, outcome, prev_hash, hash)
            VALUES (9, '2026-01-01T00:09:00.000Z', 'audit-checkpoint', 'stop', 'checkpoint', '\(forged)', 'signed', '', '');
            """, recomputeFrom: 9)
        #expect(try await log.verify().stdout == "OK: 9 decisions (ids 1-9), hash chain intact\n")
        let broken = try await log.verify(["--public-key", log.publicKey])
        #expect(broken.status == 1)
        #expect(broken.stdout == "BROKEN at decision 9: checkpoint 9 does not verify with key \(log.keyID): forged, or altered after signing\n")
    }

    @Test func afterAKeyChangeTheLogVerifiesWithBothKeysAndNotWithTheNewAlone() async throws {
        let log = try SignedLogFixture()
        let newKey = AuditSigningKey()
        try newKey.publicKey.pem.write(toFile: log.directory + "/new.pub", atomically: true, encoding: .utf8)
        _ = try DecisionStore(path: log.path).appendCheckpoint(trigger: "start", at: SignedLogFixture.start.addingTimeInterval(3600), key: newKey)
        let both = try await log.verify(["--public-key", log.publicKey, "--public-key", log.directory + "/new.pub"])
        #expect(both.status == 0, "\(both.stdout)")
        #expect(both.stdout == "OK: 11 decisions (ids 1-11), hash chain intact, 3 checkpoints signed by keys \(log.keyID), \(newKey.publicKey.id) (up to decision 10)\n")
        let newOnly = try await log.verify(["--public-key", log.directory + "/new.pub"])
        #expect(newOnly.status == 1)
        #expect(newOnly.stdout == "BROKEN at decision 4: checkpoint 4 names key \(log.keyID), not one given (\(newKey.publicKey.id))\n")
    }

    @Test func aPrivateKeyOthersCanReadIsRefusedAndAnExistingFileIsNeverOverwritten() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("reflex-keygen-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let made = try await ReflexBinary.run(["audit", "keygen", "--out", directory + "/audit.key", "--public-out", directory + "/audit.pub"])
        #expect(made.status == 0, "\(made.stderr)")
        let mode = try FileManager.default.attributesOfItem(atPath: directory + "/audit.key")[.posixPermissions] as? Int
        #expect(mode == 0o600)
        let publicPEM = try String(contentsOfFile: directory + "/audit.pub", encoding: .utf8)
        #expect(made.stdout.hasPrefix("key id ") && made.stdout.hasSuffix(publicPEM) && publicPEM.hasPrefix("-----BEGIN PUBLIC KEY-----\n"))
        let key = try String(contentsOfFile: directory + "/audit.key", encoding: .utf8)
        #expect(!made.stdout.contains(key.split(separator: "\n")[1]))
        let again = try await ReflexBinary.run(["audit", "keygen", "--out", directory + "/audit.key"])
        #expect(again.status == 2)
        #expect(try String(contentsOfFile: directory + "/audit.key", encoding: .utf8) == key)

        chmod(directory + "/audit.key", 0o640)
        try "policies: policies\nallow_no_policies: true\ndatabase: reflex.db\nregion: us-east-1\naudit: { signing_key: audit.key }\n"
            .write(toFile: directory + "/reflex.yaml", atomically: true, encoding: .utf8)
        try FileManager.default.createDirectory(atPath: directory + "/policies", withIntermediateDirectories: true)
        let refused = try await ReflexBinary.run(["run", "--config", directory + "/reflex.yaml"], timeout: 30)
        #expect(refused.status == 2)
        #expect(refused.stderr == "reflex run: the signing key \(directory)/audit.key is accessible to its group or to others (mode 640); "
            + "it must be readable by its owner only: chmod 600 \(directory)/audit.key\n")
        #expect(!refused.stderr.contains(key.split(separator: "\n")[1]))
    }
}
