import AshbyAPI
import Foundation

/// Applications (`application.list`), every run, incrementally with their sync token: each page's
/// applications stored (candidate, job, status, stage, hiring team, when it changed) and audited in
/// one transaction; records that cannot be stored are set aside, the rest of the page is written.
/// What reminders, edits, nudges, digests and `report` say of an application comes from here, so no
/// message waits on an Ashby call.
///
/// A key without `candidatesRead` (403 `missing_endpoint_permission`) does not fail the run: one
/// warning, the reason kept in `sync_state` for `status`, and the messages degrade (`missingPermission`).
struct ApplicationPull: RunStep {
    let name = Resource.applications

    static let missingPermission = MissingPermission(
        resource: Resource.applications, endpoint: .applications, permission: "candidatesRead",
        consequence: "DMs go out without candidate and job names, nobody is nudged (an application's status is unknown), "
            + "and digest items wait for their hiring team (a DIGEST_CHANNEL digest goes out without names)")

    func run(in context: RunContext) throws -> RunSummary {
        let token = context.isBackfill ? nil : context.storedStates[name]?.syncToken
        let pass = ResourcePass(context: context, endpoint: .applications, resource: name)
        // Pages are decoded on the fetch-ahead thread while the page before is written.
        let prepare: @Sendable (inout AshbyPage) -> Void = { page in page.prepared = Self.sorted(page) }
        guard let report = try Self.missingPermission.guarding(in: context, {
            try pass.run(syncToken: token, prepare: prepare) { page in
                try write(page.prepared as? SortedRecords<ApplicationStore.Row> ?? Self.sorted(page), page: page, in: context)
            }
        }) else { return RunSummary() }
        if report.coveredEverything {
            try QuarantineStore(connection: context.connection).releaseUnseen(resource: name, runIDs: report.runIDs)
        }
        return report.counts.summary
    }

    private static func sorted(_ page: AshbyPage) -> SortedRecords<ApplicationStore.Row> {
        SortedRecords(page.decodeEach(AshbyApplication.self), resource: Resource.applications, id: \.id) {
            (application: AshbyApplication) throws(InvalidPayload) in try ApplicationStore.Row(application)
        }
    }

    /// One page, inside its transaction.
    private func write(_ sorted: SortedRecords<ApplicationStore.Row>, page: AshbyPage, in context: RunContext) throws -> PullCounts {
        var counts = PullCounts()
        counts.add(try ApplicationStore(connection: context.connection).upsert(sorted.accepted), to: name)
        try AuditStore(connection: context.connection).recordPage(page)
        try context.quarantine(sorted.setAside)
        try QuarantineStore(connection: context.connection).release(resource: name, recordIDs: sorted.accepted.map(\.applicationID))
        counts.quarantined = sorted.setAside.count
        return counts
    }
}
