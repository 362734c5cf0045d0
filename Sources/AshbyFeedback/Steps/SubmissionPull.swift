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

    func run(in context: RunContext) throws -> RunSummary {
        let token = context.isBackfill ? nil : context.storedStates[name]?.syncToken
        let pass = ResourcePass(context: context, endpoint: .applicationFeedback, resource: name)
        let report = try Self.missingPermission.guarding(in: context) {
            try pass.run(syncToken: token) { page in try write(page, in: context) }
        }
        return report?.counts.summary ?? RunSummary()
    }

    /// Without `candidatesRead`: one warning, the reason kept for `status`, and the event flag stands in.
    static let missingPermission = MissingPermission(
        resource: Resource.submissions, endpoint: .applicationFeedback, permission: "candidatesRead",
        consequence: "feedback counts as submitted only from the event-level flag of single-interviewer events")

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
