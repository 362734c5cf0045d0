/// After a backfill's pulls: `ANALYZE` of the tables it filled. A backfill loads most rows a table
/// will ever hold, and until autovacuum gets round to it the planner plans on an empty table's
/// statistics; the queries of the steps that follow (nudges, digests) and of the next cron runs then
/// scan for every row (measured: a no-change run after a backfill took 0.77 s instead of 0.17 s).
///
/// Those plans only need row counts and rough distributions, so the sample is a tenth of the default
/// (3,000 rows a table instead of 30,000): 8 ms instead of 37 ms at 15,000 events. Autovacuum's own
/// `ANALYZE` later replaces these statistics with full ones.
struct PlannerStatistics: RunStep {
    let name = "planner_statistics"
    var isDataStep: Bool { false }

    func isWanted(in context: RunContext) -> Bool {
        context.isBackfill && !context.dryRun
    }

    func run(in context: RunContext) throws -> RunSummary {
        try context.connection.transaction {
            try context.connection.execute(Self.smallSample)
            try context.connection.execute(Self.analyze)
        }
        return RunSummary()
    }

    static let smallSample = "SET LOCAL default_statistics_target = 10"
    static let analyze = """
        ANALYZE interview_schedules, interview_events, interview_assignments, interviews, slack_users,
                feedback_submissions, applications, slack_messages, slack_message_items
        """
}
