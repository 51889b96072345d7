import GRDB

/// The decision log's schema: forward-only, named migrations. Each migration is applied once
/// and recorded; a database with migrations this build does not know is refused.
enum AuditSchema {
    /// The version stored in `PRAGMA user_version`: the number of migrations.
    static var version: Int { migrationNames.count }

    static let migrationNames = ["v1-decisions", "v2-actions", "v3-daemon-status", "v4-rollout-in-actions-view", "v5-webhook-outbox", "v6-circuits-per-target",
                                  "v7-approvals", "v8-evidence-columns"]

    static let migrator: DatabaseMigrator = {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1-decisions") { db in
            try db.execute(sql: """
                CREATE TABLE decisions (
                    id INTEGER PRIMARY KEY,
                    recorded_at TEXT NOT NULL,
                    kind TEXT NOT NULL,
                    policy TEXT,
                    policy_hash TEXT,
                    target TEXT,
                    state_from TEXT,
                    state_to TEXT,
                    reason TEXT,
                    detail TEXT,
                    evidence TEXT,
                    action TEXT,
                    parameters TEXT,
                    mode TEXT,
                    intent_id INTEGER,
                    aws_request_id TEXT,
                    outcome TEXT,
                    prev_hash TEXT NOT NULL,
                    hash TEXT NOT NULL
                );
                CREATE INDEX decisions_by_policy ON decisions(policy, recorded_at);
                CREATE INDEX decisions_by_time ON decisions(recorded_at);
                CREATE INDEX decisions_by_kind ON decisions(kind, recorded_at);

                -- Where the chain continues from after a prune: the first kept row and the hash it links to.
                CREATE TABLE chain_anchor (
                    singleton INTEGER PRIMARY KEY CHECK (singleton = 1),
                    first_id INTEGER NOT NULL,
                    prev_hash TEXT NOT NULL,
                    pruned_rows INTEGER NOT NULL
                );
                -- A row here, only inside a prune's transaction, lets the delete trigger through.
                CREATE TABLE prune_in_progress (singleton INTEGER PRIMARY KEY CHECK (singleton = 1));

                CREATE TRIGGER decisions_are_append_only BEFORE UPDATE ON decisions
                BEGIN SELECT RAISE(ABORT, 'decisions are append-only'); END;
                CREATE TRIGGER decisions_are_pruned_only BEFORE DELETE ON decisions
                WHEN NOT EXISTS (SELECT 1 FROM prune_in_progress)
                BEGIN SELECT RAISE(ABORT, 'decisions are removed only by reflex audit prune'); END;

                CREATE TABLE policy_versions (
                    hash TEXT PRIMARY KEY,
                    name TEXT NOT NULL,
                    text TEXT NOT NULL,
                    first_seen TEXT NOT NULL
                );

                -- Stable, read-only views for auditors using sqlite3.
                CREATE VIEW decisions_v AS
                    SELECT id, recorded_at, kind, policy, target, state_from, state_to, reason, detail,
                           action, parameters, mode, intent_id, aws_request_id, outcome, policy_hash, evidence
                    FROM decisions;
                CREATE VIEW actions_v AS
                    SELECT d.id, d.recorded_at, d.kind, d.policy, d.target, d.action, d.parameters, d.mode,
                           d.reason, d.detail, d.aws_request_id, d.outcome, d.intent_id
                    FROM decisions d
                    WHERE d.kind IN ('action-intent', 'action-executed', 'action-failed', 'action-dry-run',
                                     'action-held', 'action-verified', 'action-not-verified', 'action-reconciled');
                CREATE VIEW policy_versions_v AS
                    SELECT hash, name, first_seen, text FROM policy_versions;
                """)
        }
        migrator.registerMigration("v2-actions") { db in
            try db.execute(sql: """
                -- What each ECS service ran, for "last known good": a streak of observations of one
                -- task definition as the stable primary deployment; good once it lasted long enough.
                CREATE TABLE deployments (
                    target TEXT NOT NULL,
                    task_definition TEXT NOT NULL,
                    revision INTEGER NOT NULL,
                    streak_started TEXT NOT NULL,
                    last_seen TEXT NOT NULL,
                    good_since TEXT,
                    PRIMARY KEY (target, task_definition)
                );
                -- Switches an operator sets while the daemon runs (safe mode).
                CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL, changed_at TEXT NOT NULL);
                -- Policies stopped by their circuit breaker until an operator resets them.
                CREATE TABLE open_circuits (policy TEXT PRIMARY KEY, opened_at TEXT NOT NULL, reason TEXT NOT NULL);
                CREATE VIEW deployments_v AS
                    SELECT target, task_definition, revision, streak_started, last_seen, good_since FROM deployments;
                """)
        }
        migrator.registerMigration("v3-daemon-status") { db in
            try db.execute(sql: """
                -- What the running daemon last reported (one row), for reflex status.
                CREATE TABLE daemon_status (singleton INTEGER PRIMARY KEY CHECK (singleton = 1), updated_at TEXT NOT NULL, status TEXT NOT NULL);
                """)
        }
        migrator.registerMigration("v4-rollout-in-actions-view") { db in
            try db.execute(sql: """
                DROP VIEW actions_v;
                CREATE VIEW actions_v AS
                    SELECT d.id, d.recorded_at, d.kind, d.policy, d.target, d.action, d.parameters, d.mode,
                           d.reason, d.detail, d.aws_request_id, d.outcome, d.intent_id
                    FROM decisions d
                    WHERE d.kind IN ('action-intent', 'action-executed', 'action-failed', 'action-dry-run', 'action-held',
                                     'action-verified', 'action-not-verified', 'rollout-checked', 'action-reconciled');
                """)
        }
        migrator.registerMigration("v5-webhook-outbox") { db in
            try db.execute(sql: """
                -- Webhook deliveries. The events are decisions: a delivery row is created per
                -- receiver for every decision worth telling, so nothing the log holds can be lost.
                CREATE TABLE outbox (
                    id INTEGER PRIMARY KEY,
                    webhook_id TEXT NOT NULL UNIQUE,
                    receiver TEXT NOT NULL,
                    decision_id INTEGER NOT NULL,
                    event TEXT NOT NULL,
                    created_at TEXT NOT NULL,
                    next_attempt_at TEXT NOT NULL,
                    attempts INTEGER NOT NULL DEFAULT 0,
                    state TEXT NOT NULL DEFAULT 'pending',
                    last_status INTEGER,
                    last_error TEXT,
                    delivered_at TEXT
                );
                CREATE INDEX outbox_pending ON outbox(state, receiver, id);
                CREATE TABLE delivery_attempts (
                    outbox_id INTEGER NOT NULL,
                    attempted_at TEXT NOT NULL,
                    status INTEGER,
                    error TEXT,
                    duration_ms INTEGER NOT NULL
                );
                -- The last decision id turned into deliveries.
                CREATE TABLE outbox_cursor (singleton INTEGER PRIMARY KEY CHECK (singleton = 1), decision_id INTEGER NOT NULL);
                CREATE TABLE disabled_receivers (receiver TEXT PRIMARY KEY, disabled_at TEXT NOT NULL, reason TEXT NOT NULL);
                CREATE VIEW deliveries_v AS
                    SELECT o.id, o.webhook_id, o.receiver, o.decision_id, o.event, o.state, o.attempts, o.last_status,
                           o.last_error, o.created_at, o.delivered_at
                    FROM outbox o;
                """)
        }
        migrator.registerMigration("v6-circuits-per-target") { db in
            try db.execute(sql: """
                -- A circuit guards one policy on one target (one instance of a fleet policy). An
                -- open circuit of an earlier version takes the target of the policy's last
                -- unverified action, the action that opened it.
                CREATE TABLE open_circuits_by_target (
                    policy TEXT NOT NULL, target TEXT NOT NULL, opened_at TEXT NOT NULL, reason TEXT NOT NULL,
                    PRIMARY KEY (policy, target)
                );
                INSERT INTO open_circuits_by_target (policy, target, opened_at, reason)
                    SELECT c.policy,
                           COALESCE((SELECT d.target FROM decisions d WHERE d.policy = c.policy AND d.kind = 'action-not-verified'
                                     ORDER BY d.id DESC LIMIT 1), ''),
                           c.opened_at, c.reason
                    FROM open_circuits c;
                DROP TABLE open_circuits;
                ALTER TABLE open_circuits_by_target RENAME TO open_circuits;
                CREATE INDEX decisions_by_target ON decisions(target, recorded_at);
                """)
        }
        migrator.registerMigration("v7-approvals") { db in
            try db.execute(sql: """
                -- Approvals link to their request by intent_id, as outcomes link to their intent:
                -- both are looked up every cycle.
                CREATE INDEX decisions_by_intent ON decisions(intent_id);
                DROP VIEW actions_v;
                CREATE VIEW actions_v AS
                    SELECT d.id, d.recorded_at, d.kind, d.policy, d.target, d.action, d.parameters, d.mode,
                           d.reason, d.detail, d.aws_request_id, d.outcome, d.intent_id
                    FROM decisions d
                    WHERE d.kind IN ('action-intent', 'action-executed', 'action-failed', 'action-dry-run', 'action-held',
                                     'action-verified', 'action-not-verified', 'rollout-checked', 'action-reconciled',
                                     'approval-requested', 'approval-granted', 'approval-denied', 'approval-expired', 'approval-stale');
                """)
        }
        migrator.registerMigration("v8-evidence-columns") { db in
            try db.execute(sql: """
                -- What an action was decided on, complete: the target before it, the change after.
                -- Both are hashed only when set, so the rows written before keep their hashes.
                ALTER TABLE decisions ADD COLUMN state_before TEXT;
                ALTER TABLE decisions ADD COLUMN change TEXT;
                DROP VIEW decisions_v;
                CREATE VIEW decisions_v AS
                    SELECT id, recorded_at, kind, policy, target, state_from, state_to, reason, detail,
                           action, parameters, mode, intent_id, aws_request_id, outcome, policy_hash, evidence,
                           state_before, change
                    FROM decisions;
                DROP VIEW actions_v;
                CREATE VIEW actions_v AS
                    SELECT d.id, d.recorded_at, d.kind, d.policy, d.target, d.action, d.parameters, d.mode,
                           d.reason, d.detail, d.aws_request_id, d.outcome, d.intent_id,
                           d.policy_hash, d.evidence, d.state_before, d.change
                    FROM decisions d
                    WHERE d.kind IN ('action-intent', 'action-executed', 'action-failed', 'action-dry-run', 'action-held',
                                     'action-verified', 'action-not-verified', 'rollout-checked', 'action-reconciled',
                                     'approval-requested', 'approval-granted', 'approval-denied', 'approval-expired', 'approval-stale');
                """)
        }
        return migrator
    }()
}
