/// Deletes audit rows past `AUDIT_RETENTION_DAYS` (0 keeps them forever). Judged by the server's
/// clock, which stamped the rows' `received_at`.
struct AuditPrune: RunStep {
    let name = "audit_prune"
    var isDataStep: Bool { false }

    func isWanted(in context: RunContext) -> Bool {
        context.configuration.auditRetentionDays > 0
    }

    func run(in context: RunContext) throws -> RunSummary {
        var summary = RunSummary()
        let days = context.configuration.auditRetentionDays
        summary.auditRowsPruned = try AuditStore(connection: context.connection).prune(olderThanDays: days)
        if summary.auditRowsPruned > 0 {
            context.logger.info("audit_pruned", metadata: ["rows": .int(summary.auditRowsPruned), "retention_days": .int(days)])
        }
        return summary
    }
}
