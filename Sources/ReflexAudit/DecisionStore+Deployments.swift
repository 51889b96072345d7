import Foundation
import GRDB
import ReflexCore

extension DecisionStore {
    /// Records that `target` runs `taskDefinition` (revision `revision`) at `date`. While it
    /// is the stable primary deployment the streak grows; once it has lasted `stableAfter`
    /// the revision is marked good. Another task definition, or an unstable rollout, ends the
    /// streak.
    public func observeDeployment(target: String, taskDefinition: String, revision: Int, stable: Bool, at date: Date,
                                  stableAfter: TimeSpan) throws {
        let now = StoredTime.format(date)
        try pool.write { db in
            let current = try Row.fetchOne(db, sql: "SELECT task_definition FROM deployments WHERE target = ? ORDER BY last_seen DESC LIMIT 1",
                                           arguments: [target])
            let continuing = stable && (current?["task_definition"] as String?) == taskDefinition
            if continuing {
                try db.execute(sql: "UPDATE deployments SET last_seen = ? WHERE target = ? AND task_definition = ?",
                               arguments: [now, target, taskDefinition])
            } else {
                try db.execute(sql: """
                    INSERT INTO deployments (target, task_definition, revision, streak_started, last_seen) VALUES (?, ?, ?, ?, ?)
                    ON CONFLICT(target, task_definition) DO UPDATE SET streak_started = excluded.streak_started, last_seen = excluded.last_seen
                    """, arguments: [target, taskDefinition, revision, stable ? now : "", now])
            }
            let goodFrom = StoredTime.format(date.addingTimeInterval(-Double(stableAfter.seconds)))
            try db.execute(sql: """
                UPDATE deployments SET good_since = ? WHERE target = ? AND task_definition = ? AND good_since IS NULL
                AND streak_started != '' AND streak_started <= ?
                """, arguments: [now, target, taskDefinition, goodFrom])
        }
    }

    /// The newest revision Reflex saw serve stably for long enough, other than the one
    /// `target` runs now (`currentRevision`).
    public func lastKnownGood(target: String, currentRevision: Int) throws -> Int? {
        try pool.read { db in
            try Int.fetchOne(db, sql: """
                SELECT revision FROM deployments WHERE target = ? AND good_since IS NOT NULL AND revision != ?
                ORDER BY revision DESC LIMIT 1
                """, arguments: [target, currentRevision])
        }
    }
}
