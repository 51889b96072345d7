import Foundation
import GRDB

/// Opens the decision log: creates the file owner-only (0600) if it is new, puts it in WAL
/// mode with full synchronous writes, and applies or checks the schema.
enum AuditDatabase {
    /// Opens the database at `path` for writing, creating and migrating it as needed.
    static func openForWriting(_ path: String) throws -> DatabasePool {
        // Checked read-only first: opening for writing already writes (WAL mode, migrations),
        // and a database of a newer Reflex must come out of this exactly as it went in.
        if let size = try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int, size > 0 {
            _ = try openForReading(path)
        }
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
        } catch let error as DatabaseError where error.resultCode == .SQLITE_READONLY && !FileManager.default.fileExists(atPath: path + "-wal") {
            // A reader who may not create the -shm file beside a WAL database (an auditor
            // without write access to the directory). With no -wal file no daemon has the log
            // open, so the file alone is the whole log: read it as immutable.
            do {
                queue = try DatabaseQueue(path: immutableURI(path), configuration: configuration)
            } catch {
                throw AuditError(.cannotOpen, "cannot open the decision log \(path) read-only: \(error)")
            }
        } catch {
            throw AuditError(.cannotOpen, "cannot open the decision log \(path): \(error)")
        }
        try queue.read { db in try checkSchema(db, path: path) }
        return queue
    }

    /// A `file:` URI opening `path` as immutable (the system SQLite takes URIs as file names).
    private static func immutableURI(_ path: String) -> String {
        var allowed = CharacterSet.urlPathAllowed
        allowed.remove(charactersIn: "?#%")
        let absolute = path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
        return "file:\(absolute.addingPercentEncoding(withAllowedCharacters: allowed) ?? absolute)?immutable=1"
    }

    /// Refuses a database whose schema is newer than this binary's: by its version number, or
    /// by migrations this binary does not know.
    private static func checkSchema(_ db: Database, path: String) throws {
        let version = try Int.fetchOne(db, sql: "PRAGMA user_version") ?? 0
        if version > AuditSchema.version {
            throw AuditError(.newerSchema, "\(path) has schema version \(version); this Reflex knows up to \(AuditSchema.version): upgrade Reflex before using it")
        }
        if try db.tableExists("grdb_migrations"), try AuditSchema.migrator.hasBeenSuperseded(db) {
            throw AuditError(.newerSchema, "\(path) was written by a newer Reflex (unknown migrations); upgrade Reflex before using it")
        }
    }

    /// Creates `path` with mode 0600, or takes any group and other permissions away from a file
    /// that exists (and from its -wal and -shm files). SQLite gives new -wal and -shm files the
    /// database's mode, so the whole log stays owner-only: it holds evidence about production.
    private static func createOwnerOnly(_ path: String) throws {
        let descriptor = open(path, O_CREAT | O_WRONLY | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else {
            throw AuditError(.cannotOpen, "cannot create the decision log \(path): \(String(cString: strerror(errno)))")
        }
        close(descriptor)
        for file in [path, path + "-wal", path + "-shm"] {
            var status = stat()
            guard stat(file, &status) == 0, status.st_mode & 0o077 != 0 else { continue }
            guard chmod(file, status.st_mode & 0o700) == 0 else {
                throw AuditError(.cannotOpen, "the decision log \(file) is readable by other users and cannot be made owner-only: \(String(cString: strerror(errno)))")
            }
        }
    }
}
