import Foundation
import GRDB
import ReflexCore

extension DecisionStore: DaemonRecords {
    public func recordStatus(_ status: DaemonStatus) throws {
        let json = String(decoding: try Self.statusEncoder.encode(status), as: UTF8.self)
        try pool.write { db in
            try db.execute(sql: """
                INSERT INTO daemon_status (singleton, updated_at, status) VALUES (1, ?, ?)
                ON CONFLICT(singleton) DO UPDATE SET updated_at = excluded.updated_at, status = excluded.status
                """, arguments: [StoredTime.format(status.updatedAt), json])
        }
    }

    static let statusEncoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.sortedKeys]
        return encoder
    }()
}

extension AuditReader {
    /// What the daemon last reported, if it ever ran on this database.
    public func daemonStatus() throws -> DaemonStatus? {
        try database.read { db in
            // A log written by an older Reflex has no status table: nothing was reported.
            guard try db.tableExists("daemon_status"), let json = try String.fetchOne(db, sql: "SELECT status FROM daemon_status") else {
                return nil
            }
            let decoder = JSONDecoder()
            decoder.dateDecodingStrategy = .iso8601
            return try decoder.decode(DaemonStatus.self, from: Data(json.utf8))
        }
    }
}
