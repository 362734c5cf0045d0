import AshbyAPI
import Foundation
import Postgres

/// Submitted feedback (`applicationFeedback.list`), every run, incrementally with its sync token:
/// each page's submissions stored and audited without their answers in one transaction, then the
/// reminders of the (event, interviewer) pairs that submitted marked `submitted_at`.
///
/// A key without the `candidatesRead` permission (`missing_endpoint_permission`, in any of the forms
/// Ashby sends it: `AshbyError.isMissingPermission`) does not fail the run: one warning, the reason kept in `sync_state` for `status`, and the event-level flag
/// (single-interviewer events only) stands in for per-interviewer submissions.
struct SubmissionPull: RunStep {
    let name = Resource.submissions
    static let permission = "candidatesRead"

    func run(in context: RunContext) throws -> RunSummary {
        let states = SyncStateStore(connection: context.connection)
        let token = context.isBackfill ? nil : context.storedStates[name]?.syncToken
        let pass = ResourcePass(context: context, endpoint: .applicationFeedback, resource: name)
        let report: ResourcePass.Report
        do {
            report = try pass.run(syncToken: token) { page in try write(page, in: context) }
        } catch let error as AshbyError where error.isMissingPermission {
            let reason = "\(AshbyListEndpoint.applicationFeedback.rawValue) needs the \(Self.permission) permission on the Ashby API key; "
                + "until it is granted, feedback counts as submitted only from the event-level flag of single-interviewer events"
            context.logger.warning("resource_unavailable", metadata: [
                "resource": "\(name)", "endpoint": "\(AshbyListEndpoint.applicationFeedback.rawValue)",
                "permission": "\(Self.permission)", "reason": "\(reason)",
            ])
            try context.write { try states.recordUnavailable(resource: name, reason: reason, now: context.clock.now()) }
            return RunSummary()
        }
        if context.storedStates[name]?.unavailableReason != nil {
            // The permission was granted since: status stops showing the reason.
            try context.write { try states.recordUnavailable(resource: name, reason: nil, now: context.clock.now()) }
        }
        return report.counts.summary
    }

    /// One page, inside its transaction.
    private func write(_ page: AshbyPage, in context: RunContext) throws -> PullCounts {
        let sorted = SortedRecords(page.decodeEach(AshbyApplicationFeedback.self), resource: name, id: \.id) {
            (feedback: AshbyApplicationFeedback) throws(InvalidPayload) in try SubmissionStore.Row(feedback)
        }
        var counts = PullCounts()
        counts.add(try SubmissionStore(connection: context.connection).upsert(sorted.accepted), to: name)
        try ScheduleStore(connection: context.connection)
            .markFeedbackSubmitted(feedbackIDs: sorted.accepted.map(\.feedbackID))
        try AuditStore(connection: context.connection)
            .recordPage(page, payload: AnswerRedaction.redacted(page: page.rawBody))
        try context.quarantine(sorted.setAside)
        try QuarantineStore(connection: context.connection).release(resource: name, recordIDs: sorted.accepted.map(\.feedbackID))
        counts.quarantined = sorted.setAside.count
        return counts
    }
}
