import AshbyAPI
import AshbyFeedback
import Foundation

/// The human-readable form of a `StatusReport`.
enum StatusText {
    static func render(_ report: StatusReport) -> String {
        var lines: [String] = []
        lines.append(report.healthy ? "Healthy." : "UNHEALTHY: \(report.problem ?? "")")
        lines.append("")
        lines.append("Recent runs:")
        if report.runs.isEmpty { lines.append("  (none yet)") }
        for run in report.runs {
            let duration = run.durationSeconds.map { String(format: "%.1fs", $0) } ?? "-"
            var line = "  \(run.startedAt.formatted(.iso8601))  \(run.command.padding(toLength: 8, withPad: " ", startingAt: 0)) \(run.outcome.padding(toLength: 9, withPad: " ", startingAt: 0)) \(duration)"
            if let counts = run.counts {
                let written = counts.resources.values.reduce(0) { $0 + $1.written }
                line += "  rows written \(written), reminders sent \(counts.reminders.sent)"
                if counts.quarantined > 0 { line += ", records skipped \(counts.quarantined)" }
                if counts.reminders.failed + counts.reminders.retrying + counts.reminders.unknown > 0 {
                    line += " (failed \(counts.reminders.failed), retrying \(counts.reminders.retrying), unknown \(counts.reminders.unknown))"
                }
            }
            lines.append(line)
            if let error = run.error { lines.append("      error: \(error)") }
        }
        if let version = report.ashbyAPIVersion {
            lines.append("")
            lines.append(version.isDeprecated
                ? "Ashby API version \(version.version): \(version.status.uppercased()) (Ashby-Version-Status): move to an ashby-feedback build written against a newer version before Ashby stops serving it"
                : "Ashby API version \(version.version): \(version.status)")
        }
        lines.append("")
        lines.append("Resources (ages in minutes):")
        if report.resources.isEmpty { lines.append("  (never synced)") }
        for resource in report.resources {
            func age(_ value: Double?) -> String { value.map { String(format: "%.1f", $0) } ?? "never" }
            lines.append("  \(resource.resource.padding(toLength: 26, withPad: " ", startingAt: 0)) token \(resource.hasSyncToken ? age(resource.tokenAgeMinutes) : "none"), last full pass \(age(resource.lastFullPassAgeMinutes)), last incremental \(age(resource.lastIncrementalPassAgeMinutes))")
            if let pass = resource.passInProgress {
                lines.append("      pass in progress since \(pass.startedAt.formatted(.iso8601)) (\(pass.fullPass ? "full" : "incremental")): \(pass.pages) page(s), \(pass.items) record(s) committed, last page \(pass.lastPageAt.formatted(.iso8601)); the next run continues it")
            }
            if let reason = resource.unavailableReason {
                lines.append("      UNAVAILABLE since \(resource.unavailableSince?.formatted(.iso8601) ?? "-"): \(reason)")
            }
        }
        lines.append("")
        let byStatus = report.reminders.lastDayByStatus.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }
        lines.append("Reminders, last 24 h: \(byStatus.isEmpty ? "none" : byStatus.joined(separator: ", "))")
        if report.reminders.stuckClaims > 0 {
            lines.append("  \(report.reminders.stuckClaims) claim(s) older than 10 minutes without an outcome (a run stopped between claim and send; not resent)")
        }
        let edits = report.reminders.lastDayEdits.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }
        if !edits.isEmpty {
            lines.append("  DMs edited after their interview changed, last 24 h: \(edits.joined(separator: ", "))")
        }
        for reason in report.reminders.failureReasons {
            lines.append("  \(reason.count) × \(reason.status)\(reason.retrying ? " (will retry)" : ""): \(reason.reason)")
        }
        let feedback = report.feedback
        lines.append("Scorecards missing after the interview: \(feedback.outstandingUnderOneDay) ended < 24 h ago, \(feedback.outstandingOneToThreeDays) 1-3 days, \(feedback.outstandingOlder) older")
        lines.append("Nudges, last 24 h: sent \(feedback.nudgesSent), failed \(feedback.nudgesFailed)\(feedback.nudgesLastDay["claimed"].map { ", claimed without outcome \($0)" } ?? "")")
        lines.append("Overdue feedback now: \(report.digests.overdueNow) scorecard(s), \(report.digests.overdueOverThreeDays) of them over 3 days past due")
        if report.digests.latest.isEmpty { lines.append("  digests: none sent yet") }
        for digest in report.digests.latest {
            let sent = digest.postedAt.map { $0.formatted(.iso8601) } ?? "-"
            lines.append("  digest to \(digest.recipient) for \(digest.day): \(digest.state), posted \(sent)")
        }
        if report.quarantine.total > 0 {
            lines.append("")
            lines.append("Skipped Ashby records (cannot be stored; raw payloads in ashby_webhook_payloads): \(report.quarantine.total)")
            for record in report.quarantine.newest {
                lines.append("  \(record.resource) \(record.recordID): \(record.reason) (since \(record.firstSeenAt.formatted(.iso8601)))")
            }
        }
        lines.append("")
        let oldest = report.audit.oldest.map { $0.formatted(.iso8601) } ?? "-"
        lines.append("Audit table: \(report.audit.rows) rows, \(report.audit.bytes / 1024) KiB, oldest \(oldest)")
        return lines.joined(separator: "\n")
    }
}
