import AshbyAPI
import Foundation
import Postgres

/// The gauges written to `METRICS_FILE` after every run that worked (succeeded or failed; never a
/// skipped one), all named `ashby_feedback_…`. What the CLI knows about the run it just ended comes
/// in `LastRun`; the rest is read from the database through `StatusReport`, and is left out when
/// the database cannot be read (an alert on the last success then fires through `absent()`).
public struct RunMetrics: Sendable {
    /// What the command measured about the run that just ended.
    public struct LastRun: Sendable {
        public var runID: UUID
        public var succeeded: Bool
        public var exitCode: Int32
        public var startedAt: Date
        public var finishedAt: Date
        /// The engine's summary when it returned one; a failed run's is read from `sync_runs`.
        public var summary: RunSummary?

        public init(runID: UUID, succeeded: Bool, exitCode: Int32, startedAt: Date, finishedAt: Date, summary: RunSummary?) {
            self.runID = runID
            self.succeeded = succeeded
            self.exitCode = exitCode
            self.startedAt = startedAt
            self.finishedAt = finishedAt
            self.summary = summary
        }
    }

    /// What the database says after the run.
    public struct Stored: Sendable {
        public var status: StatusReport

        public static func read(_ connection: PostgresConnection, now: Date) throws -> Stored {
            Stored(
                status: try StatusReport.read(connection, runLimit: 5, maxAgeMinutes: 30, now: now))
        }
    }

    public var lastRun: LastRun
    public var stored: Stored?

    public init(lastRun: LastRun, stored: Stored?) {
        self.lastRun = lastRun
        self.stored = stored
    }

    /// The run's counts: the engine's summary, else what the run recorded in `sync_runs`.
    var lastRunSummary: RunSummary? {
        lastRun.summary ?? stored?.status.runs.first {
            $0.runID.caseInsensitiveCompare(lastRun.runID.uuidString) == .orderedSame
        }?.counts
    }

    /// The file's text in Prometheus exposition format.
    public func render() -> String {
        var text = RunMetricsText()
        text.gauge(.lastRunTimestampSeconds, help: "When the last run (sync or backfill, not skipped) ended, Unix time.",
                   lastRun.finishedAt.timeIntervalSince1970)
        text.gauge(.lastRunDurationSeconds, help: "How long the last run took.",
                   lastRun.finishedAt.timeIntervalSince(lastRun.startedAt))
        text.gauge(.lastRunSucceeded, help: "1 when the last run succeeded, 0 when it failed.",
                   lastRun.succeeded ? 1 : 0)
        text.gauge(.lastRunExitCode, help: "Exit code of the last run (0, 1, 64, 75, 78; see the README).",
                   Double(lastRun.exitCode))
        if let summary = lastRunSummary {
            for family in Self.messageFamilies(summary) {
                text.gauge(family.metric, help: family.help,
                           family.counts.sorted { $0.key < $1.key }.map { .init(labels: ["result": $0.key], value: Double($0.value)) })
            }
            text.gauge(.lastRunRequests, help: "HTTP requests the last run sent, by service (retries included).", [
                .init(labels: ["service": "ashby"], value: Double(summary.ashbyRequests)),
                .init(labels: ["service": "slack"], value: Double(summary.slackRequests)),
            ])
        }
        if let version = lastRunSummary?.ashbyAPIVersion ?? stored?.status.ashbyAPIVersion {
            text.gauge(.ashbyAPIVersionDeprecated,
                       help: "1 when Ashby said the API version the job asks for (Ashby-Version) is deprecated, unsupported or removed.",
                       version.isDeprecated ? 1 : 0)
        }
        if let summary = lastRunSummary {
            text.gauge(.lastRunQuarantinedRecords, help: "Ashby records the last run set aside because they cannot be stored.",
                       Double(summary.quarantined))
        }
        guard let stored else { return text.output }

        text.gauge(.quarantinedRecords, help: "Ashby records currently set aside (quarantined_records); status is unhealthy while any exist.",
                   Double(stored.status.quarantine.total))

        let status = stored.status
        if let lastSuccess = status.lastSuccessAt {
            text.gauge(.lastSuccessTimestampSeconds, help: "When a run last succeeded, Unix time.",
                       lastSuccess.timeIntervalSince1970)
        }
        text.gauge(.syncTokenAgeSeconds, help: "Age of the stored sync token, by resource.",
                   status.resources.compactMap { resource in
                       guard resource.hasSyncToken, let updated = resource.tokenUpdatedAt else { return nil }
                       return .init(labels: ["resource": resource.resource], value: status.generatedAt.timeIntervalSince(updated))
                   })
        text.gauge(.lastFullPassTimestampSeconds, help: "When a full pass over the resource last completed, Unix time.",
                   status.resources.compactMap { resource in
                       resource.lastFullPassAt.map { .init(labels: ["resource": resource.resource], value: $0.timeIntervalSince1970) }
                   })
        text.gauge(.remindersLastDay, help: "Reminders touched in the last 24 hours, by status.",
                   status.reminders.lastDayByStatus.sorted { $0.key < $1.key }.map { .init(labels: ["status": $0.key], value: Double($0.value)) })
        text.gauge(.reminderClaimsStuck, help: "Reminder claims older than 10 minutes without an outcome (never resent).",
                   Double(status.reminders.stuckClaims))
        let outstanding = status.feedback
        text.gauge(.outstandingFeedback, help: "Scorecards still missing after the interview ended, by time since it ended.", [
            .init(labels: ["age": "under_1d"], value: Double(outstanding.outstandingUnderOneDay)),
            .init(labels: ["age": "1d_to_3d"], value: Double(outstanding.outstandingOneToThreeDays)),
            .init(labels: ["age": "over_3d"], value: Double(outstanding.outstandingOlder)),
        ])
        text.gauge(.auditRows, help: "Rows in the audit table ashby_webhook_payloads.", Double(status.audit.rows))
        text.gauge(.auditBytes, help: "Size of the audit table with its indexes and TOAST.", Double(status.audit.bytes))
        return text.output
    }

    /// Messages the run sent, one family per kind, each by result. Edits and nudges join as lines here.
    struct MessageFamily {
        var metric: RunMetric
        var help: String
        var counts: [String: Int]
    }

    static func messageFamilies(_ summary: RunSummary) -> [MessageFamily] {
        let reminders = summary.reminders
        return [
            MessageFamily(metric: .lastRunReminders, help: "Reminder DMs of the last run, by result.", counts: [
                "sent": reminders.sent, "failed": reminders.failed, "retrying": reminders.retrying, "unknown": reminders.unknown,
            ]),
            MessageFamily(metric: .lastRunEdits, help: "Edits of posted DMs whose interview changed, in the last run, by result.", counts: [
                "edited": summary.edits.edited, "failed": summary.edits.failed, "pending": summary.edits.pending,
                "adopted": summary.edits.adopted,
            ]),
            MessageFamily(metric: .lastRunNudges, help: "Nudges about missing scorecards of the last run (one per DM), by result.", counts: [
                "sent": summary.nudges.sent, "failed": summary.nudges.failed, "retrying": summary.nudges.retrying,
                "unknown": summary.nudges.unknown,
            ]),
            MessageFamily(metric: .lastRunDigests, help: "Digests of overdue feedback of the last run, by result.", counts: [
                "sent": summary.digests.sent, "failed": summary.digests.failed, "retrying": summary.digests.retrying,
                "unknown": summary.digests.unknown, "edited": summary.digests.edited,
                "edits_pending": summary.digests.editsPending,
            ]),
        ]
    }
}

/// The metrics file's text: gauges named only from `RunMetric`, so a name cannot escape the list
/// the alert rules and the dashboard are checked against.
private struct RunMetricsText {
    private var text = PrometheusText()

    var output: String { text.text }

    mutating func gauge(_ metric: RunMetric, help: String, _ samples: [PrometheusText.Sample]) {
        text.gauge(metric.rawValue, help: help, samples)
    }

    mutating func gauge(_ metric: RunMetric, help: String, _ value: Double) {
        text.gauge(metric.rawValue, help: help, value)
    }
}
