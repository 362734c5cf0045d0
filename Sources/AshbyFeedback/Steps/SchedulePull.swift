import AshbyAPI
import Foundation
import Postgres

/// Interview schedules (every run): each page decoded, diffed against what is stored and written in
/// one transaction; records that cannot be stored are set aside, the rest of the page is written.
/// A full pass also marks the events of schedules Ashby no longer returns as removed (incremental
/// passes carry no tombstones for deleted schedules), once it completed: a full pass continued over
/// several runs counts the schedules audited since it first began.
struct SchedulePull: RunStep {
    let name = Resource.schedules

    func run(in context: RunContext) throws -> RunSummary {
        let token = context.isBackfill ? nil : context.storedStates[Resource.schedules]?.syncToken
        let pass = ResourcePass(context: context, endpoint: .interviewSchedules, resource: Resource.schedules)
        let writer = OrderedPageWriter(context: context)
        var seenInterviews = Set<String>()
        // Pages are decoded and turned into rows on the fetch-ahead thread while the page before is written.
        let report = try pass.run(syncToken: token, prepare: { $0.prepared = SchedulePage($0) }, writer: writer) { page in
            let prepared = page.prepared as? SchedulePage ?? SchedulePage(page)
            let interviews = try describeUnknownInterviews(prepared, seen: &seenInterviews, in: context)
            // The interviews this page stores are keys too: a later page's events may point at them.
            return .init(
                keys: prepared.keys.union(interviews.described.map(\.id)).union(interviews.undescribed),
                references: prepared.referencedInterviews,
                items: page.rawItems.count, moreDataAvailable: page.moreDataAvailable
            ) { context in try self.write(prepared, interviews: interviews, page: page, in: context) }
        }
        var summary = report.counts.summary
        if report.coveredEverything {
            summary.add(try reconcile(report, in: context), to: Resource.events)
            try QuarantineStore(connection: context.connection).releaseUnseen(resource: Resource.schedules, runIDs: report.runIDs)
        }
        return summary
    }

    /// Interviews the page references that are stored nowhere yet, described with `interview.info` on
    /// this thread, outside any transaction. `seen` holds the interviews of the pass's earlier pages,
    /// which may still be in flight on the page writer: they are not asked for again.
    private func describeUnknownInterviews(
        _ page: SchedulePage, seen: inout Set<String>, in context: RunContext
    ) throws -> InterviewDescriber.Described {
        let unseen = page.referencedInterviews.subtracting(seen)
        seen.formUnion(page.referencedInterviews)
        guard !unseen.isEmpty else { return .init() }
        return try InterviewDescriber(context: context)
            .describe(try ScheduleStore(connection: context.connection).unknownInterviews(unseen))
    }

    /// One page, inside its transaction on `context`'s connection: the interviews described for it
    /// first, then the diff against what is stored, the audit rows and the quarantine, all queued.
    /// Besides the page's own rows it writes the stored events of its schedules it marks removed.
    private func write(
        _ page: SchedulePage, interviews: InterviewDescriber.Described, page fetched: AshbyPage, in context: RunContext
    ) throws -> OrderedPageWriter.Work {
        let sorted = page.sorted
        let rows = sorted.accepted
        let schedules = ScheduleStore(connection: context.connection)
        let references = ReferenceStore(connection: context.connection)
        var counts = PullCounts()
        if !interviews.described.isEmpty {
            counts.add(try references.upsertInterviews(interviews.described), to: "interviews_described")
        }
        try references.insertPlaceholderInterviews(interviews.undescribed)
        let stored = try schedules.stored(
            scheduleIDs: rows.map(\.schedule.scheduleID), eventIDs: rows.flatMap { $0.events.map(\.eventID) })
        let diff = ScheduleDiff(stored: stored, fetched: rows)
        try schedules.apply(diff)
        try AuditStore(connection: context.connection).recordSchedules(
            action: fetched.endpoint.rawValue, scheduleIDs: page.auditIDs, payloads: page.auditPayloads)
        try context.quarantine(sorted.setAside)
        try QuarantineStore(connection: context.connection)
            .release(resource: Resource.schedules, recordIDs: rows.map(\.schedule.scheduleID))
        counts.add(diff.schedules, to: Resource.schedules)
        counts.add(diff.events, to: Resource.events)
        counts.add(diff.assignments, to: Resource.assignments)
        counts.quarantined = sorted.setAside.count
        return .init(counts: counts, alsoWrites: Set(diff.eventsToRemove))
    }

    /// Marks the events of schedules this full pass did not return as removed (never deleted: their
    /// reminder history stays). Seen are the schedules audited since the pass began, in whichever run.
    /// A pass that returned nothing at all changes nothing: an empty answer is more likely a fault than
    /// a tenant without schedules.
    private func reconcile(_ report: ResourcePass.Report, in context: RunContext) throws -> TableCounts {
        var counts = TableCounts()
        guard report.passItems > 0 else {
            context.logger.warning("reconcile_skipped", metadata: ["resource": "\(Resource.schedules)", "reason": "the full pass returned no schedules"])
            return counts
        }
        counts.deleted = try context.write {
            try context.connection.execute(SQL.removeUnseenEvents, [
                AshbyListEndpoint.interviewSchedules.rawValue, report.passStarted, context.clock.now(),
            ])
        }
        if counts.deleted > 0 {
            context.logger.notice("schedules_reconciled", metadata: [
                "resource": "\(Resource.events)", "events_removed": .int(counts.deleted),
                "reason": "their schedules are no longer in Ashby",
            ])
        }
        return counts
    }

    private enum SQL {
        /// Schedules seen by this pass are the ones it audited (audit rows are written in each page's
        /// transaction, stamped with the server's clock like the pass's start).
        static let removeUnseenEvents = """
            UPDATE interview_events e SET removed_at = $3, updated_at = $3
            WHERE e.removed_at IS NULL AND e.schedule_id NOT IN (
                SELECT p.schedule_id FROM ashby_webhook_payloads p
                WHERE p.action = $1 AND p.received_at >= $2::timestamptz AND p.schedule_id IS NOT NULL)
            """
    }
}
