import AshbyAPI

/// A page's records split into rows that can be stored and records set aside (quarantined): a
/// record that does not decode, or breaks a rule of the schema (an id that is not a UUID).
struct SortedRecords<Row> {
    var accepted: [Row] = []
    var setAside: [QuarantineStore.Record] = []

    /// - Parameters:
    ///   - id: the id of a decoded item, to name it when `convert` refuses it.
    ///   - convert: the stored form of an item, or why it cannot be stored.
    init<Item>(
        _ items: [AshbyPageItem<Item>], resource: String, id: (Item) -> String,
        convert: (Item) throws(InvalidPayload) -> Row
    ) {
        for (index, item) in items.enumerated() {
            switch item.result {
            case .success(let decoded):
                do {
                    accepted.append(try convert(decoded))
                } catch {
                    setAside.append(.init(resource: resource, recordID: id(decoded), reason: error.description))
                }
            case .failure(let error):
                setAside.append(.init(resource: resource, recordID: item.id ?? "results[\(index)]", reason: error.reason))
            }
        }
    }
}

extension RunContext {
    /// Records the set-aside records of a page (inside its transaction) and logs each one.
    func quarantine(_ records: [QuarantineStore.Record]) throws {
        guard !records.isEmpty else { return }
        try QuarantineStore(connection: connection).record(records, runID: runID, now: clock.now())
        for record in records {
            logger.warning("record_skipped", metadata: [
                "resource": "\(record.resource)", "record_id": "\(record.recordID)", "reason": "\(record.reason)",
            ])
        }
    }
}

extension SortedRecords: Sendable where Row: Sendable {}
