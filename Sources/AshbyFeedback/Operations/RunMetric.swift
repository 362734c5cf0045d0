/// Every gauge the metrics file (`METRICS_FILE`) can hold. `RunMetrics` writes only these, and the
/// alert rules and the dashboard in `cron/` may use only these (`DeploymentFilesTests` checks them),
/// so a renamed gauge cannot leave an alert silently watching nothing.
public enum RunMetric: String, CaseIterable, Sendable {
    case lastRunTimestampSeconds = "ashby_feedback_last_run_timestamp_seconds"
    case lastRunDurationSeconds = "ashby_feedback_last_run_duration_seconds"
    case lastRunSucceeded = "ashby_feedback_last_run_succeeded"
    case lastRunExitCode = "ashby_feedback_last_run_exit_code"
    case lastRunReminders = "ashby_feedback_last_run_reminders"
    case lastRunEdits = "ashby_feedback_last_run_edits"
    case lastRunNudges = "ashby_feedback_last_run_nudges"
    case lastRunDigests = "ashby_feedback_last_run_digests"
    case lastRunRequests = "ashby_feedback_last_run_requests"
    case ashbyAPIVersionDeprecated = "ashby_feedback_ashby_api_version_deprecated"
    case lastRunQuarantinedRecords = "ashby_feedback_last_run_quarantined_records"
    case quarantinedRecords = "ashby_feedback_quarantined_records"
    case lastSuccessTimestampSeconds = "ashby_feedback_last_success_timestamp_seconds"
    case syncTokenAgeSeconds = "ashby_feedback_sync_token_age_seconds"
    case lastFullPassTimestampSeconds = "ashby_feedback_last_full_pass_timestamp_seconds"
    case remindersLastDay = "ashby_feedback_reminders_last_day"
    case reminderClaimsStuck = "ashby_feedback_reminder_claims_stuck"
    case outstandingFeedback = "ashby_feedback_outstanding_feedback"
    case auditRows = "ashby_feedback_audit_rows"
    case auditBytes = "ashby_feedback_audit_bytes"
}
