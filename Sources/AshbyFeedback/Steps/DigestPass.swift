import Foundation
import Logging
import SlackAPI

/// The daily digest of overdue feedback (issue 12), near the end of every run:
/// 1. digests posted in the last day are edited in place to strike items that cleared (submitted,
///    cancelled) — never re-posted;
/// 2. the overdue pairs are read from what is stored, with their applications' names and hiring teams
///    (synced by `application.list`: no Ashby call) — items of an application not synced yet, whose
///    team is unknown, wait for a run that knows it;
/// 3. each recipient whose local time is at or after `DIGEST_TIME` and inside working hours on a
///    working day (`DigestAudience.dueDay`), and who has no digest for that local day yet, gets one:
///    claimed in the ledger first (one per recipient per day, also under overlapping runs), then
///    posted, its outcome recorded by `SlackCallOutcome`.
///
/// A refused token (post or edit) stops the step and fails the run, as in every Slack step.
/// A dry run prints the digests and edits it would make.
struct DigestPass: RunStep {
    let name = "digests"
    var isDataStep: Bool { false }

    func isWanted(in context: RunContext) -> Bool {
        context.slack != nil && context.request.sendReminders && !context.conditions.slackRefused
            && context.configuration.digest.timeMinute != nil
    }

    func run(in context: RunContext) throws -> RunSummary {
        guard let slack = context.slack else { return RunSummary() }
        let settings = context.configuration.digest
        let store = DigestStore(connection: context.connection)
        let now = context.clock.now()
        var summary = RunSummary()
        defer { log(summary.digests, context: context) }
        let records = OutcomeRecords(logger: context.logger)
        // The step's end: failed once an outcome could not be recorded, after every digest had its turn.
        func finished() throws -> RunSummary {
            if let failure = records.failure { throw StepFailure(summary: summary, error: failure) }
            return summary
        }
        if let refused = try edit(
            store: store, slack: slack, settings: settings, now: now, context: context, records: records, counts: &summary.digests
        ) {
            context.conditions.slackRefused = true
            throw StepFailure(summary: summary, error: refused)
        }

        let overdue = try store.overdue(now: now, overdueHours: settings.overdueHours, maxAgeDays: settings.maxAgeDays)
        guard !overdue.isEmpty else { return try finished() }
        let audience = DigestAudience(settings: settings)
        let waiting = audience.waitingForTeam(overdue)
        if !waiting.isEmpty {
            context.logger.info("digest_items_waiting", metadata: [
                "applications": .int(waiting.count), "application_ids": "\(waiting.prefix(20).joined(separator: ","))",
                "reason": "hiring team not known (the application is not synced from application.list): they wait for a run that knows it",
            ])
        }
        let members = try store.members(emails: audience.candidateEmails(overdue))
        let recipients = audience.recipients(overdue, members: members)
        for (index, recipient) in recipients.enumerated() {
            let zone = recipient.timeZone?.zone(default: context.configuration.defaultTimeZone) ?? WorkingHours.utc
            guard let day = audience.dueDay(at: now, in: zone, workingHours: context.configuration.workingHours) else { continue }
            let message = DigestMessage.make(items: recipient.items, cleared: [:], overdueHours: settings.overdueHours, channel: recipient.slackID)
            if context.dryRun {
                context.report("would send digest to \(recipient.slackID) for \(day) (\(recipient.items.count) item(s)): \(message.text)")
                summary.digests.sent += 1
                continue
            }
            guard context.postGate.allowsPost("digest", waiting: recipients.count - index) else { break }
            guard let messageID = try store.claim(recipient: recipient.slackID, day: day, items: recipient.items, runID: context.runID, now: now) else { continue }
            if let refused = post(message, messageID: messageID, day: day, store: store, slack: slack, now: now, context: context, records: records, counts: &summary.digests) {
                context.conditions.slackRefused = true
                throw StepFailure(summary: summary, error: refused)
            }
        }
        return try finished()
    }

    /// Posts one claimed digest and records what became of it; returns the error when the run must
    /// stop calling Slack (a refused token).
    private func post(
        _ message: SlackMessage, messageID: Int64, day: String, store: DigestStore, slack: SlackClient, now: Date,
        context: RunContext, records: OutcomeRecords, counts: inout DigestCounts
    ) -> SlackError? {
        let ledger = MessageLedger(connection: context.connection)
        var metadata: Logger.Metadata = ["recipient": "\(message.channel)", "day": "\(day)"]
        switch SlackPost(message, slack: slack) {
        case .posted(let posted):
            metadata.merge(["channel": "\(posted.channel)", "ts": "\(posted.ts)"]) { $1 }
            // Posted: if recording fails now, the claim stays and the digest is never sent twice.
            records.record("digest", messageID: messageID, ids: metadata) {
                try store.recordPosted(messageID: messageID, channel: posted.channel, ts: posted.ts, fingerprint: MessageFingerprint.of(message), now: now)
            }
            counts.sent += 1
            context.logger.info("digest_sent", metadata: metadata)
            return nil
        case .failed(let error, let decision):
            records.record("digest", messageID: messageID, ids: metadata) {
                try ledger.recordPostFailed(messageID: messageID, reason: error.description, verdict: decision.verdict)
            }
            metadata["error"] = "\(error)"
            counts.countFailure(decision.verdict)
            context.logger.postFailed(unknown: "digest_outcome_unknown", failed: "digest_failed", verdict: decision.verdict, metadata: metadata)
            return decision.stopsRun ? error : nil
        }
    }

    /// Edits the digests of the last day whose items cleared since they were rendered; returns the
    /// error when the run must stop calling Slack (a refused token).
    private func edit(
        store: DigestStore, slack: SlackClient, settings: DigestSettings, now: Date, context: RunContext, records: OutcomeRecords,
        counts: inout DigestCounts
    ) throws -> SlackError? {
        let ledger = MessageLedger(connection: context.connection)
        for digest in try store.posted(since: now.addingTimeInterval(-24 * 3600)) {
            let cleared = try store.clearances(digest.items.map(\.key), now: now)
            let message = DigestMessage.make(items: digest.items, cleared: cleared, overdueHours: settings.overdueHours, channel: digest.channel)
            let fingerprint = MessageFingerprint.of(message)
            guard fingerprint != digest.fingerprint else { continue }
            if context.dryRun {
                context.report("would edit digest in \(digest.channel) (\(cleared.count) item(s) cleared): \(message.text)")
                counts.edited += 1
                continue
            }
            let ids: Logger.Metadata = ["channel": "\(digest.channel)", "ts": "\(digest.ts)"]
            do {
                _ = try slack.updateMessage(channel: digest.channel, ts: digest.ts, message: message)
            } catch {
                let decision = SlackCallOutcome(kind: .edit, failure: error)
                records.record("digest_edit", messageID: digest.messageID, ids: ids) {
                    try ledger.recordEditFailed(messageID: digest.messageID, reason: "cleared", error: error, decision: decision)
                }
                if decision.retriesEdit { counts.editsPending += 1 } else { counts.failed += 1 }
                context.logger.warning("digest_edit_failed", metadata: ["channel": "\(digest.channel)", "ts": "\(digest.ts)", "error": "\(error)", "retry": "\(decision.retriesEdit)"])
                if decision.stopsRun { return error }
                continue
            }
            records.record("digest_edit", messageID: digest.messageID, ids: ids) {
                try ledger.recordShown(messageID: digest.messageID, fingerprint: fingerprint, reason: "cleared", edited: true)
            }
            counts.edited += 1
            context.logger.info("digest_edited", metadata: ["channel": "\(digest.channel)", "ts": "\(digest.ts)", "cleared": .int(cleared.count)])
        }
        return nil
    }

    private func log(_ counts: DigestCounts, context: RunContext) {
        guard counts != DigestCounts() else { return }
        context.logger.info("digests", metadata: [
            "sent": .int(counts.sent), "failed": .int(counts.failed), "retrying": .int(counts.retrying),
            "unknown": .int(counts.unknown), "edited": .int(counts.edited), "edits_pending": .int(counts.editsPending),
        ])
        if context.dryRun { context.report("would send \(counts.sent) digest(s) and edit \(counts.edited)") }
    }
}
