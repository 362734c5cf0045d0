import AshbyAPI

/// A fetched page of schedules turned into rows. Built on the fetch-ahead thread (it needs no
/// database), so decoding and converting a page overlap the writing of the page before.
struct SchedulePage: Sendable {
    /// Rows that can be stored, and records set aside.
    var sorted: SortedRecords<ScheduleRows>
    /// The schedule each payload's audit row names, in page order: nil when the id is not a UUID
    /// (set-aside records are audited too).
    var auditIDs: [String?]
    /// Each record's payload as its audit row stores it (`StorableText.jsonb`), in page order.
    var auditPayloads: [String]

    /// The schedule and event ids the page's rows are stored under (and the ids of its set-aside
    /// records): a later page sharing one must read after this one is committed.
    let keys: Set<String>
    /// The interviews the page's events refer to.
    let referencedInterviews: Set<String>

    init(_ page: AshbyPage) {
        let items = page.decodeEach(AshbyInterviewSchedule.self)
        sorted = SortedRecords(items, resource: Resource.schedules, id: \.id, convert: ScheduleRows.init)
        auditPayloads = page.rawItems.map(StorableText.jsonb)
        auditIDs = items.map { item in
            ((try? item.result.get())?.id ?? item.id).flatMap { try? InvalidPayload.checkedUUID($0, "schedule id") }
        }
        var keys = Set(sorted.setAside.map(\.recordID))
        var interviews = Set<String>()
        for row in sorted.accepted {
            keys.insert(row.schedule.scheduleID)
            for event in row.events {
                keys.insert(event.eventID)
                if let interviewID = event.interviewID { interviews.insert(interviewID) }
            }
        }
        self.keys = keys
        referencedInterviews = interviews
    }
}
