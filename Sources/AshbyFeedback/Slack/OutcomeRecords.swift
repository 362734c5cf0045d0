import Logging

/// Records what became of the Slack calls of one step (a DM posted or failed, an edit made or
/// failed), so that one record that cannot be written never stops the others.
///
/// A record that throws changes nothing: a record of several statements runs in one transaction,
/// which rolls back as a whole. So a posted DM keeps its claim (claimed is never sent again) and an
/// edit stays due (made again, harmlessly, by a later run). The failure is logged as `record_failed`
/// with the message's ids, never its text, and the step goes on; once every message had its turn it
/// ends with `failure`, so the run exits non-zero.
final class OutcomeRecords {
    private let logger: Logger
    private var failed = 0
    private var firstError: (any Error)?

    init(logger: Logger) {
        self.logger = logger
    }

    /// Runs `record` for the ledger row `messageID`; on error logs it (`kind`: reminder, nudge, digest,
    /// or their `_edit`) with the row and `ids`, keeps it for `failure`, and returns false.
    @discardableResult
    func record(_ kind: String, messageID: Int64, ids: Logger.Metadata, _ record: () throws -> Void) -> Bool {
        do {
            try record()
            return true
        } catch {
            failed += 1
            firstError = firstError ?? error
            logger.error("record_failed", metadata: ids.merging([
                "kind": "\(kind)", "message_id": .stringConvertible(messageID), "error": "\(Failure(error).description)",
            ]) { $1 })
            return false
        }
    }

    /// The step's failure once a record failed, with the exit status of the first cause (75 when the
    /// database went away, else 1); nil while every record was written.
    var failure: Failure? {
        guard let firstError else { return nil }
        let cause = Failure(firstError)
        return Failure(status: cause.status, """
            could not record what became of \(failed) Slack message(s) (first: \(cause.description)); \
            a posted one keeps its claim and is never sent again: see record_failed in the log
            """)
    }
}
