/// What a decision-log row records. Spelled as stored in the `kind` column.
public enum DecisionKind: String, Hashable, Sendable, CaseIterable, Codable {
    /// A policy's state changed (e.g. ok -> firing).
    case stateChange = "state-change"
    /// An action is about to be sent to AWS: written and committed before the call.
    case actionIntent = "action-intent"
    /// The action was sent and AWS accepted it.
    case actionExecuted = "action-executed"
    /// The action was sent and failed.
    case actionFailed = "action-failed"
    /// A dry-run policy would have taken the action.
    case actionDryRun = "action-dry-run"
    /// A guardrail held the action back.
    case actionHeld = "action-held"
    /// After a rollback, whether the new deployment became stable within `wait_stable`.
    case rolloutChecked = "rollout-checked"
    /// After the action, the condition resolved within the verify window.
    case actionVerified = "action-verified"
    /// After the action, the condition did not resolve within the verify window.
    case actionNotVerified = "action-not-verified"
    /// An approve-mode policy asked a person to approve a change (the `parameters` hold the
    /// change, the target state it was planned against, its digest and the expiry).
    case approvalRequested = "approval-requested"
    /// A person approved a request (`intent_id` is the request, `outcome` who approved).
    case approvalGranted = "approval-granted"
    /// A person denied a request (`intent_id` is the request, `outcome` who denied).
    case approvalDenied = "approval-denied"
    /// A request was not answered in time and can no longer be approved.
    case approvalExpired = "approval-expired"
    /// An approved change was not made: the target or the change is no longer what was
    /// approved, or the policy no longer fires.
    case approvalStale = "approval-stale"
    /// At start-up, an intent without an outcome was checked against AWS.
    case actionReconciled = "action-reconciled"
    /// The daemon loaded or reloaded its policies.
    case policiesLoaded = "policies-loaded"
    /// Safe mode was switched on or off.
    case safeModeChanged = "safe-mode-changed"
    /// A policy's circuit breaker opened, or an operator reset it.
    case circuitChanged = "circuit-changed"
    /// A fleet policy's instances changed (`instance-added`, `instance-removed`) or its
    /// discovery failed or recovered (`discovery-failed`, `discovery-recovered`).
    case fleetChanged = "fleet-changed"
    /// Old rows were pruned; this row records what was removed.
    case pruned
    /// This node's role in a highly available pair changed: `leader-acquired` (the epoch in
    /// `outcome`), `leader-lost`, `standby` (the leader, when known, in `detail`).
    case leadershipChanged = "leadership-changed"
    /// A daemon event worth auditing (start, stop, degraded).
    case daemon
    /// A signed statement of the log's head (`parameters` hold it; `reason` says why it was
    /// made: `start`, `interval`, `reload`, `stop`), also published off the host.
    case auditCheckpoint = "audit-checkpoint"
}
