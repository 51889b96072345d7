import Foundation
import GRDB
import ReflexAudit
import ReflexCore
import Testing

/// What opening the decision log may and may not do to the file it finds.
struct DatabaseOpeningTests {
    static func bytes(_ path: String) throws -> Data { try Data(contentsOf: URL(fileURLWithPath: path)) }

    static func mode(_ path: String) throws -> Int {
        try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int ?? -1
    }

    @Test func aDatabaseOfANewerReflexIsRefusedAndLeftExactlyAsItWas() throws {
        let path = try AuditFixtures.log(count: 3).path
        do {
            let queue = try DatabaseQueue(path: path)
            try queue.writeWithoutTransaction { db in
                try db.execute(sql: "PRAGMA user_version = 99")
                _ = try db.checkpoint(.truncate)
            }
        }
        let before = try Self.bytes(path)
        for open in [{ _ = try DecisionStore(path: path) }, { _ = try AuditReader(path: path) }] as [() throws -> Void] {
            let error = #expect(throws: AuditError.self) { try open() }
            #expect(error?.code == .newerSchema)
            #expect(error?.message.contains("has schema version 99") == true, "\(error?.message ?? "")")
        }
        #expect(try Self.bytes(path) == before)
        let version = try DatabaseQueue(path: path).read { db in try Int.fetchOne(db, sql: "PRAGMA user_version") }
        #expect(version == 99)
    }

    @Test func aFileOthersCouldReadIsMadeOwnerOnly() throws {
        let path = AuditFixtures.temporaryPath()
        #expect(FileManager.default.createFile(atPath: path, contents: nil, attributes: [.posixPermissions: 0o644]))
        #expect(try Self.mode(path) == 0o644)
        let store = try DecisionStore(path: path)
        _ = try store.append(AuditFixtures.record(1))
        for file in [path, path + "-wal", path + "-shm"] where FileManager.default.fileExists(atPath: file) {
            #expect(try Self.mode(file) == 0o600, "\(file)")
        }
    }
}
