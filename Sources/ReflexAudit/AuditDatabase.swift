import Foundation
import GRDB

/// Opens the decision log: creates the file owner-only (0600) if it is new, puts it in WAL
/// mode with full synchronous writes, and applies or checks the schema.
enum AuditDatabase {
    /// Opens the database at `path` for writing, creating and migrating it as needed.
    static func openForWriting(_ path: String) throws -> DatabasePool {
        try createOwnerOnly(path)
        var configuration = Configuration()
        configuration.busyMode = .timeout(10)
        configuration.prepareDatabase { db in
            // FULL: a committed decision survives power loss, not only a crash, because an
            // intent must be on disk before the action it describes is attempted.
            try db.execute(sql: "PRAGMA synchronous = FULL")
        }
        let pool: DatabasePool
        do {
            pool = try DatabasePool(path: path, configuration: configuration)
        } catch {
            throw AuditError(.cannotOpen, "cannot open the decision log \(path): \(error)")
        }
        try pool.write { db in
            if try AuditSchema.migrator.hasBeenSuperseded(db) {
                throw AuditError(.newerSchema, "\(path) was written by a newer Reflex; upgrade before using it")
            }
        }
        try AuditSchema.migrator.migrate(pool)
        try pool.write { db in try db.execute(sql: "PRAGMA user_version = \(AuditSchema.version)") }
        return pool
    }

    /// Opens an existing database at `path` for reading only.
    static func openForReading(_ path: String) throws -> DatabaseQueue {
        guard FileManager.default.fileExists(atPath: path) else {
            throw AuditError(.cannotOpen, "no decision log at \(path)")
        }
        var configuration = Configuration()
        configuration.readonly = true
        configuration.busyMode = .timeout(10)
        let queue: DatabaseQueue
        do {
            queue = try DatabaseQueue(path: path, configuration: configuration)
        } catch {
            throw AuditError(.cannotOpen, "cannot open the decision log \(path): \(error)")
        }
        try queue.read { db in
            let version = try Int.fetchOne(db, sql: "PRAGMA user_version") ?? 0
            if version > AuditSchema.version {
                throw AuditError(.newerSchema, "\(path) has schema version \(version); this Reflex reads up to \(AuditSchema.version)")
            }
        }
        return queue
    }

    /// Creates `path` with mode 0600 unless it exists. SQLite gives its -wal and -shm files the
    /// same mode, so the whole log stays unreadable to other users.
    private static func createOwnerOnly(_ path: String) throws {
        let descriptor = open(path, O_CREAT | O_WRONLY | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else {
            throw AuditError(.cannotOpen, "cannot create the decision log \(path): \(String(cString: strerror(errno)))")
        }
        close(descriptor)
    }
}
