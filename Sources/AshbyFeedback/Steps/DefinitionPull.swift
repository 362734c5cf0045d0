import AshbyAPI
import Foundation
import Postgres

/// A pass over a flat definition list (feedback forms or interviews), when its cadence says it is
/// due: each page upserted and audited in one transaction; items that cannot be stored are set aside.
struct DefinitionPull<Item: Decodable>: RunStep {
    let name: String
    let endpoint: AshbyListEndpoint
    /// Minutes between passes (0 = every run); a backfill always pulls.
    let refreshMinutes: (Configuration) -> Int
    let id: (Item) -> String
    /// Checks what the schema needs (ids that are UUIDs) before the page's statement, so one bad
    /// item is set aside instead of failing the page.
    let check: (Item) throws(InvalidPayload) -> Void
    let upsert: (ReferenceStore, [Item]) throws -> TableCounts
    /// Runs after a pass (interviews: describe the placeholders again).
    var afterPass: ((RunContext) throws -> RunSummary)?

    func run(in context: RunContext) throws -> RunSummary {
        let state = context.storedStates[name]
        guard ResourceCadence(minutes: refreshMinutes(context.configuration)).isDue(
            lastPass: state?.lastPassAt, now: context.clock.now(), backfill: context.isBackfill)
        else {
            context.logger.info("resource_not_due", metadata: ["resource": "\(name)"])
            return RunSummary()
        }
        let pass = ResourcePass(context: context, endpoint: endpoint, resource: name)
        let report = try pass.run(syncToken: context.isBackfill ? nil : state?.syncToken) { page in
            let sorted = SortedRecords(page.decodeEach(Item.self), resource: name, id: id) { (item: Item) throws(InvalidPayload) in
                try check(item)
                return item
            }
            var counts = PullCounts()
            counts.add(try upsert(ReferenceStore(connection: context.connection), sorted.accepted), to: name)
            try AuditStore(connection: context.connection).recordPage(page)
            try context.quarantine(sorted.setAside)
            try QuarantineStore(connection: context.connection).release(resource: name, recordIDs: sorted.accepted.map(id))
            counts.quarantined = sorted.setAside.count
            return counts
        }
        if report.coveredEverything {
            try QuarantineStore(connection: context.connection).releaseUnseen(resource: name, runIDs: report.runIDs)
        }
        var summary = report.counts.summary
        if let afterPass { summary.merge(try afterPass(context)) }
        return summary
    }
}

extension DefinitionPull where Item == AshbyFeedbackFormDefinition {
    static var forms: DefinitionPull {
        DefinitionPull(
            name: Resource.forms, endpoint: .feedbackFormDefinitions, refreshMinutes: \.formsRefreshMinutes, id: \.id,
            check: { form throws(InvalidPayload) in
                _ = try InvalidPayload.checkedUUID(form.id, "feedback form \(form.id): id")
                _ = try InvalidPayload.checkedOptionalUUID(form.interviewId, "feedback form \(form.id): interviewId")
            },
            upsert: { try $0.upsertForms($1) })
    }
}

extension DefinitionPull where Item == AshbyInterview {
    static var interviews: DefinitionPull {
        DefinitionPull(
            name: Resource.interviews, endpoint: .interviews, refreshMinutes: \.interviewsRefreshMinutes, id: \.id,
            check: { interview throws(InvalidPayload) in
                _ = try InvalidPayload.checkedUUID(interview.id, "interview \(interview.id): id")
                _ = try InvalidPayload.checkedOptionalUUID(interview.feedbackFormDefinitionId, "interview \(interview.id): feedbackFormDefinitionId")
                _ = try InvalidPayload.checkedOptionalUUID(interview.jobId, "interview \(interview.id): jobId")
            },
            upsert: { try $0.upsertInterviews($1) },
            afterPass: describePlaceholders)
    }

    /// Placeholder interviews (stored when `interview.info` failed) are described again whenever the
    /// interviews are pulled: an incremental `interview.list` returns them only if they change.
    private static func describePlaceholders(in context: RunContext) throws -> RunSummary {
        let ids = try context.connection.query(placeholderInterviews).rows.map { try $0[0].decode(String.self) }
        let described = try InterviewDescriber(context: context).describe(Set(ids)).described
        guard !described.isEmpty else { return RunSummary() }
        let counts = try context.write { try ReferenceStore(connection: context.connection).upsertInterviews(described) }
        context.logger.info("placeholder_interviews_described", metadata: [
            "count": .int(counts.updated), "remaining": .int(ids.count - described.count),
        ])
        var summary = RunSummary()
        summary.add(counts, to: Resource.interviews)
        return summary
    }

    private static let placeholderInterviews = "SELECT interview_id::text FROM interviews WHERE title IS NULL ORDER BY interview_id"
}
