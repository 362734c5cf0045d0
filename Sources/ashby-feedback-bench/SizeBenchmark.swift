import Foundation
import Postgres
import TestSupport

/// One tenant size, end to end: build the tenant, serve it, measure the baseline, then run backfill,
/// a no-change sync and a sync after a 1 % change, each against the same fresh database.
struct SizeBenchmark {
    struct Result: Sendable {
        var factor: Int
        var profile: LatencyProfile
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
        /// Wall time of every backfill and every baseline measured (`backfill` and `baseline` are the
        /// median ones), for the spread between runs.
        var backfillSeconds: [Double]
        var baselineSeconds: [Double]
        /// With a database proxy: a direct backfill before each backfill through it, so both sides of
        /// the growth are measured in the same minutes of a shared machine (empty without a proxy).
        var directBackfillSeconds: [Double]

        /// Rows the 1 % change should write: each changed schedule and its moved event updated, the
        /// added interviewers inserted, one audit row per changed schedule.
        var expectedChangeRows: Int { changedSchedules + movedEvents + addedAssignments + changedSchedules }
        /// Backfill over fetch + COPY of the same pages and rows.
        var backfillOverBaseline: Double { backfill.wallSeconds / baseline.totalSeconds }
        var backfillOverSequentialFetch: Double { backfill.wallSeconds / baseline.fetchSeconds }
        var backfillOverConcurrentFetch: Double { backfill.wallSeconds / baseline.concurrentFetchSeconds }
    }

    let factor: Int
    let shape: TenantShape
    let profile: LatencyProfile
    let binary: String
    let databaseDirectory: String
    let workDirectory: String
    /// Backfills (each into a fresh database) and baselines measured, taking turns; the median of each
    /// is reported, so one run disturbed by a neighbour on a shared machine does not decide a bar.
    let repeats: Int
    /// Whether to run one backfill and baseline before the measured ones (attempt 0, not counted).
    let warmUp: Bool

    /// Names the run's logs: size and profile.
    private var label: String {
        "\(factor)x-" + profile.name.lowercased().filter { $0.isLetter || $0.isNumber }
    }

    func run() async throws -> Result {
        let ashby = try await FakeAshby.start(pageSize: 100)
        let slack = try await FakeSlack.start()
        ashby.server.responseDelay = profile.ashbyDelay
        slack.server.responseDelay = profile.slackDelay
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

        // Through the proxy (when the profile has one): the product's connections and the baseline's COPY.
        let proxy = try profile.databaseDelay.map { try RoundTripProxy(upstreamPort: RoundTripProxy.port(of: adminURL), delay: $0) }
        defer { proxy?.stop() }
        func viaProxy(_ url: String) throws -> String {
            guard let proxy else { return url }
            return proxy.rewrite(url, upstreamPort: try RoundTripProxy.port(of: adminURL))
        }

        var baselines: [LimitBaseline.Figures] = []
        var backfills: [RunFigures] = []
        var database: TestDatabase?
        defer { database?.drop() }
        var runner: ProductRunner?
        var directBackfills: [Double] = []
        // The first size and profile of a benchmark starts with a cold binary, page cache and cluster: one
        // backfill and baseline more, not counted.
        for attempt in (warmUp ? 0 : 1)...repeats {
            let baselineDatabase = try await migratedDatabase("baseline")
            defer { baselineDatabase.drop() }
            let baseline = try await LimitBaseline(ashby: ashby, slack: slack)
                .measure(tenant: tenant, database: try PostgresConnection(try viaProxy(baselineDatabase.url)))
            if attempt > 0 { baselines.append(baseline) }
            progress("baseline \(attempt)/\(repeats): fetch \(Format.seconds(baseline.fetchSeconds)) (concurrent \(Format.seconds(baseline.concurrentFetchSeconds))) + COPY \(Format.seconds(baseline.copySeconds))")

            database?.drop()
            let fresh = try await migratedDatabase("product")
            database = fresh
            let product = ProductRunner(binary: binary, databaseURL: try viaProxy(fresh.url), ashby: ashby, slack: slack, logDirectory: workDirectory)
            runner = product
            if proxy != nil {
                let direct = try await migratedDatabase("direct")
                defer { direct.drop() }
                let directRun = try await ProductRunner(
                    binary: binary, databaseURL: direct.url, ashby: ashby, slack: slack, logDirectory: workDirectory
                ).run("\(label)-backfill-direct", arguments: ["backfill"])
                if attempt > 0 { directBackfills.append(directRun.wallSeconds) }
                progress("direct backfill \(attempt)/\(repeats): \(Format.seconds(directRun.wallSeconds))")
            }
            let backfill = try await product.run("\(label)-backfill", arguments: ["backfill"])
            if attempt > 0 { backfills.append(backfill) }
            progress("backfill \(attempt)/\(repeats): \(Format.seconds(backfill.wallSeconds)), peak RSS \(Format.megabytes(backfill.peakRSSBytes))")
        }
        let baseline = Self.median(baselines, by: \.totalSeconds)
        var backfill = Self.median(backfills, by: \.wallSeconds)
        backfill.peakRSSBytes = backfills.map(\.peakRSSBytes).max() ?? backfill.peakRSSBytes
        guard let runner else { throw ProductRunner.Failure(description: "no backfill ran") }
        let noChange = try await runner.run("\(label)-sync-no-change", arguments: ["sync"])
        progress("no-change sync: \(Format.seconds(noChange.wallSeconds)), \(noChange.domainRowsWritten) rows written")
        let change = tenant.changeOnePercent(at: Date())
        ashby.upsertSchedules(change.schedules)
        let changed = try await runner.run("\(label)-sync-1pct-change", arguments: ["sync"])
        progress("1 % change sync: \(Format.seconds(changed.wallSeconds)), \(changed.domainRowsWritten) rows written")

        return Result(
            factor: factor, profile: profile, shape: shape, events: events, assignments: assignments,
            slackMembers: tenant.slackUsers.count, baseline: baseline, backfill: backfill, noChange: noChange,
            change: changed, changedSchedules: change.schedules.count, movedEvents: change.movedEvents,
            addedAssignments: change.addedAssignments,
            backfillSeconds: backfills.map(\.wallSeconds), baselineSeconds: baselines.map(\.totalSeconds),
            directBackfillSeconds: directBackfills)
    }

    /// The element whose `key` is the median (the lower middle one of an even count).
    private static func median<Element>(_ elements: [Element], by key: (Element) -> Double) -> Element {
        elements.sorted { key($0) < key($1) }[(elements.count - 1) / 2]
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

    private var adminURL: String { ProcessInfo.processInfo.environment["TEST_DATABASE_URL"] ?? "" }

    private func progress(_ message: String) {
        print("[\(factor)x, \(profile.name)] \(message)")
    }
}
