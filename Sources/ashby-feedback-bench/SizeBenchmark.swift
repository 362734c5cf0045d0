import Foundation
import Postgres
import TestSupport

/// One tenant size, end to end: build the tenant, serve it, measure the baseline, then run backfill,
/// a no-change sync and a sync after a 1 % change, each against the same fresh database.
struct SizeBenchmark {
    struct Result: Sendable {
        var factor: Int
        var shape: TenantShape
        var events: Int
        var assignments: Int
        var slackMembers: Int
        var baseline: LimitBaseline.Figures
        var backfill: RunFigures
        var noChange: RunFigures
        var change: RunFigures
        var changedSchedules: Int
        var movedEvents: Int
        var addedAssignments: Int

        /// Rows the 1 % change should write: each changed schedule and its moved event updated, the
        /// added interviewers inserted, one audit row per changed schedule.
        var expectedChangeRows: Int { changedSchedules + movedEvents + addedAssignments + changedSchedules }
        var backfillOverBaseline: Double { backfill.wallSeconds / baseline.totalSeconds }
    }

    let factor: Int
    let shape: TenantShape
    let binary: String
    let databaseDirectory: String
    let workDirectory: String

    func run() async throws -> Result {
        let ashby = try await FakeAshby.start(pageSize: 100)
        let slack = try await FakeSlack.start()
        do {
            let result = try await measure(ashby: ashby, slack: slack)
            await ashby.stop()
            await slack.stop()
            return result
        } catch {
            await ashby.stop()
            await slack.stop()
            throw error
        }
    }

    private func measure(ashby: FakeAshby, slack: FakeSlack) async throws -> Result {
        let started = ContinuousClock.now
        var tenant = SyntheticTenant(shape: shape)
        for form in tenant.forms { ashby.upsertForm(form) }
        for interview in tenant.interviews { ashby.upsertInterview(interview) }
        ashby.upsertSchedules(tenant.schedules.map(tenant.json))
        slack.setUsers(tenant.slackUsers)
        let (events, assignments) = (tenant.eventCount, tenant.assignmentCount)
        progress("tenant of \(shape.schedules) schedules, \(events) events, \(assignments) assignments served in \(Format.seconds(LimitBaseline.seconds(since: started)))")

        let baselineDatabase = try await migratedDatabase("baseline")
        defer { baselineDatabase.drop() }
        let baseline = try await LimitBaseline(ashby: ashby, slack: slack).measure(tenant: tenant, database: try baselineDatabase.connect())
        progress("baseline: fetch \(Format.seconds(baseline.fetchSeconds)) + COPY \(Format.seconds(baseline.copySeconds))")

        let database = try await migratedDatabase("product")
        defer { database.drop() }
        let runner = ProductRunner(binary: binary, databaseURL: database.url, ashby: ashby, slack: slack, logDirectory: workDirectory)
        let backfill = try await runner.run("\(factor)x-backfill", arguments: ["backfill"])
        progress("backfill: \(Format.seconds(backfill.wallSeconds)), peak RSS \(Format.megabytes(backfill.peakRSSBytes))")
        let noChange = try await runner.run("\(factor)x-sync-no-change", arguments: ["sync"])
        progress("no-change sync: \(Format.seconds(noChange.wallSeconds)), \(noChange.domainRowsWritten) rows written")
        let change = tenant.changeOnePercent(at: Date())
        ashby.upsertSchedules(change.schedules)
        let changed = try await runner.run("\(factor)x-sync-1pct-change", arguments: ["sync"])
        progress("1 % change sync: \(Format.seconds(changed.wallSeconds)), \(changed.domainRowsWritten) rows written")

        return Result(
            factor: factor, shape: shape, events: events, assignments: assignments,
            slackMembers: tenant.slackUsers.count, baseline: baseline, backfill: backfill, noChange: noChange,
            change: changed, changedSchedules: change.schedules.count, movedEvents: change.movedEvents,
            addedAssignments: change.addedAssignments)
    }

    /// A fresh database on the test cluster, migrated by the binary under test.
    private func migratedDatabase(_ purpose: String) async throws -> TestDatabase {
        let database = try TestDatabase.create()
        let (binary, directory, logPath) = (binary, databaseDirectory, "\(workDirectory)/\(factor)x-migrate-\(purpose).log")
        let outcome = try await offloaded {
            try ChildProcess.run(
                executable: binary, arguments: ["migrate", "--database-dir", directory],
                environment: ["DATABASE_URL": database.url], logPath: logPath)
        }
        guard outcome.exitStatus == 0 else {
            database.drop()
            throw ProductRunner.Failure(description: "migrate exited with \(outcome.exitStatus); see \(logPath)")
        }
        return database
    }

    private func progress(_ message: String) {
        print("[\(factor)x] \(message)")
    }
}
