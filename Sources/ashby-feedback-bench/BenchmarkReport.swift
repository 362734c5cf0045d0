import Foundation

/// BENCHMARKS.md: the machine, the method, the bars from the issues with their verdicts, what users
/// wait for under each latency profile, and one table per size and profile.
struct BenchmarkReport {
    let machine: MachineInfo
    let command: String
    let results: [SizeBenchmark.Result]
    /// Hand-kept text between `keptStart` and `keptEnd` (the figures from before a change), carried
    /// over from the previous report unchanged.
    var keptSection: String?

    static let keptStart = "<!-- kept: not regenerated -->"
    static let keptEnd = "<!-- end of kept section -->"

    /// Peak RSS allowed for the largest tenant, and how much it may exceed the smallest tenant's.
    static let rssLimitBytes = 64 * 1_048_576
    static let rssGrowthAllowed = 1.25
    /// At loopback latency: backfill over fetch + COPY of the same pages and rows.
    static let loopbackRatioLimit = 1.3
    /// At internet latency: backfill over the sequential fetch of its pages.
    static let internetRatioLimit = 1.0
    /// Backfill through the 1 ms proxy over the direct one.
    static let databaseRTTGrowthLimit = 1.2

    /// The tables a run writes, in the order shown; `RunSummary` counts each under the table's name.
    private static let tables = [
        "interview_schedules", "interview_events", "interview_assignments", "interviews", "feedback_form_definitions",
        "slack_users",
    ]

    struct Bar {
        var name: String
        var passed: Bool
        var detail: String
    }

    /// The kept section of a previous report, markers included.
    static func keptSection(in report: String) -> String? {
        guard let start = report.range(of: keptStart), let end = report.range(of: keptEnd, range: start.upperBound..<report.endIndex)
        else { return nil }
        return String(report[start.lowerBound..<end.upperBound])
    }

    private var loopback: [SizeBenchmark.Result] { results.filter { $0.profile.name == LatencyProfile.loopback.name } }

    private func result(_ profile: LatencyProfile) -> SizeBenchmark.Result? {
        results.first { $0.profile.name == profile.name }
    }

    private func label(_ result: SizeBenchmark.Result) -> String { "\(result.factor)×, \(result.profile.name)" }

    /// The median of `values` (the lower middle one of an even count); nil for none.
    private static func median(_ values: [Double]) -> Double? {
        values.isEmpty ? nil : values.sorted()[(values.count - 1) / 2]
    }

    /// Backfills (and baselines) measured per size and profile.
    private var repeats: Int { results.first?.backfillSeconds.count ?? 1 }

    /// `median` with the range of `all` in brackets when more than one run was measured.
    private func withRange(_ median: Double, _ all: [Double]) -> String {
        guard all.count > 1, let low = all.min(), let high = all.max() else { return Format.seconds(median) }
        return "\(Format.seconds(median)) (\(Format.seconds(low))–\(Format.seconds(high)))"
    }

    /// Ashby lists pulled on every run: `interviewSchedule.list`, `applicationFeedback.list` and `application.list`.
    static let everyRunLists = 3

    var bars: [Bar] {
        guard let smallest = loopback.first, let largest = loopback.last else { return [] }
        var bars: [Bar] = []
        // Three lists are pulled on every run: schedules, submitted feedback (issue 11) and applications
        // (issue 20); each answers an unchanged tenant with one empty page.
        let noChange = results.allSatisfy { result in
            result.noChange.domainRowsWritten == 0 && result.noChange.slackRequests == 0
                && result.noChange.ashbyRequests == Self.everyRunLists
        }
        bars.append(Bar(
            name: "No-change cron run (default cadences): \(Self.everyRunLists) requests (the lists pulled every run), no Slack call, 0 rows written", passed: noChange,
            detail: results.map { result in
                "\(label(result)): \(result.noChange.ashbyRequests + result.noChange.slackRequests) request(s), \(result.noChange.domainRowsWritten) rows (\(result.noChange.pagesByEndpoint.keys.sorted().joined(separator: ", ")))"
            }.joined(separator: "; ")))
        bars.append(Bar(
            name: "1 % change writes rows in proportion to the change, not to the tenant",
            passed: results.allSatisfy { $0.change.domainRowsWritten == $0.expectedChangeRows },
            detail: loopback.map { result in
                "\(result.factor)×: \(result.changedSchedules) schedules changed → \(result.change.domainRowsWritten) rows written (expected \(result.expectedChangeRows))"
            }.joined(separator: "; ")))
        if let internet = result(.internet) {
            bars.append(Bar(
                name: "At Ashby 150 ms / Slack 100 ms: backfill ≤ \(Format.ratio(Self.internetRatioLimit)) the sequential fetch of its pages (aim: ≤ 1.1× the concurrent fetch floor)",
                passed: internet.backfillOverSequentialFetch <= Self.internetRatioLimit,
                detail: "\(internet.factor)×: \(Format.seconds(internet.backfill.wallSeconds)) = \(Format.ratio(internet.backfillOverSequentialFetch)) the sequential fetch (\(Format.seconds(internet.baseline.fetchSeconds))), \(Format.ratio(internet.backfillOverConcurrentFetch)) the concurrent floor (\(Format.seconds(internet.baseline.concurrentFetchSeconds)))"))
        }
        bars.append(Bar(
            name: "At 0 ms: backfill ≤ \(Format.ratio(Self.loopbackRatioLimit)) fetch + COPY of the same rows (Slack users and audit rows included)",
            passed: loopback.allSatisfy { $0.backfillOverBaseline <= Self.loopbackRatioLimit },
            detail: loopback.map { "\($0.factor)×: \(Format.ratio($0.backfillOverBaseline))" }.joined(separator: "; ")))
        if let nearby = result(.nearbyDatabase), let direct = Self.median(nearby.directBackfillSeconds) {
            let growth = nearby.backfill.wallSeconds / direct
            bars.append(Bar(
                name: "Through the 1 ms RTT proxy: backfill grows by at most \(Int(((Self.databaseRTTGrowthLimit - 1) * 100).rounded())) %",
                passed: growth <= Self.databaseRTTGrowthLimit,
                detail: "\(nearby.factor)×: \(Format.seconds(direct)) direct → \(Format.seconds(nearby.backfill.wallSeconds)) through the proxy (\(Format.signedPercent(growth - 1))), the two taking turns"))
        }
        let peak = loopback.map { max($0.backfill.peakRSSBytes, $0.noChange.peakRSSBytes, $0.change.peakRSSBytes) }
        bars.append(Bar(
            name: "Peak RSS under 64 MB at the largest size, flat with the tenant (backfill at most \(Int((Self.rssGrowthAllowed - 1) * 100)) % above the smallest size's)",
            passed: peak.last! < Self.rssLimitBytes
                && Double(largest.backfill.peakRSSBytes) <= Double(smallest.backfill.peakRSSBytes) * Self.rssGrowthAllowed,
            detail: zip(loopback, peak).map { "\($0.factor)×: backfill \(Format.megabytes($0.backfill.peakRSSBytes)), largest of the three runs \(Format.megabytes($1))" }
                .joined(separator: "; ")))
        return bars
    }

    /// One line per size and profile: the backfill next to its three limits, and the cron run.
    private var waitTable: String {
        var text = """
            | size, profile | backfill | (a) sequential fetch | (b) concurrent fetch floor | (c) fetch + COPY | backfill / (a) | backfill / (b) | backfill / (c) | no-change sync | backfill requests | backfill SQL statements (round trips) | backfill peak RSS |
            |---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|

            """
        for result in results {
            let cells = [
                label(result), withRange(result.backfill.wallSeconds, result.backfillSeconds), Format.seconds(result.baseline.fetchSeconds),
                Format.seconds(result.baseline.concurrentFetchSeconds), withRange(result.baseline.totalSeconds, result.baselineSeconds),
                Format.ratio(result.backfillOverSequentialFetch), Format.ratio(result.backfillOverConcurrentFetch),
                Format.ratio(result.backfillOverBaseline),
                "\(Format.seconds(result.noChange.wallSeconds)), \(result.noChange.ashbyRequests + result.noChange.slackRequests) req, \(result.noChange.domainRowsWritten) rows",
                Format.count(result.backfill.ashbyRequests + result.backfill.slackRequests),
                "\(Format.count(result.backfill.summary.sqlStatements)) (\(Format.count(result.backfill.summary.sqlRoundTrips)))",
                Format.megabytes(result.backfill.peakRSSBytes),
            ]
            text += "| " + cells.joined(separator: " | ") + " |\n"
        }
        return text
    }

    func render() -> String {
        var text = """
            # Benchmarks

            Backfill and steady-state cost of `ashby-feedback` on a synthetic tenant, against a limit baseline
            measured in the same run. Generated by `ashby-feedback-bench`; rerun with:

                \(command)

            It builds the release binaries, starts a throwaway PostgreSQL cluster (`database/test-cluster.sh run`),
            runs the benchmark (a few minutes, most of it the 150 ms profile waiting on the fakes) and rewrites
            this file, keeping its hand-kept "before" section. Figures vary by several percent between runs on a
            shared machine.

            ## Machine

            | | |
            |---|---|
            | date | \(machine.date) |
            | CPUs (nproc) | \(machine.processors) |
            | CPU model | \(machine.cpuModel) |
            | memory | \(machine.memory) |
            | Swift | \(machine.swiftVersion) |
            | PostgreSQL | \(machine.postgresVersion) (test cluster: fsync off, synchronous_commit off) |

            ## Method

            - **Tenant** (deterministic, seeded; the 1× default, every count scaled for 4×): 5,000 interview
              schedules (1 in 20 cancelled) with 2–4 events each (mean 3) and 2–3 interviewers per event (mean 2.5),
              1,000 interviewers (9 in 10 with a Slack account under the same email), 300 interview definitions,
              50 feedback forms, 3,000 Slack people plus Slackbot and a bot.
              Events start 2–30 days ahead, outside the reminder window, so no DM is sent. `FakeAshby` (page size
              100, like Ashby) and `FakeSlack` serve it over loopback from the benchmark process.
            - **Runs**: the release binary `.build/release/ashby-feedback` as a child process with only
              `DATABASE_URL`, `ASHBY_API_URL`, `ASHBY_API_KEY`, `SLACK_API_URL` and `SLACK_BOT_TOKEN` set (default
              cadences and window): `backfill` into an empty migrated database, then `sync` with nothing changed,
              then `sync` after 1 % of the schedules changed (first event moved by an hour; every second one also
              gains an interviewer). Wall time is spawn to exit; CPU time is the child's user + system time (`wait4`):
              the job is synchronous, so the rest of its wall time is spent waiting for PostgreSQL and the fakes;
              peak RSS is the child's own `VmHWM` from `/proc/<pid>/status`, sampled every 2 ms (not `ru_maxrss`,
              which on Linux inherits the high-water mark of the spawning benchmark process across `exec`).
              Requests are counted in the fakes' request logs (a figure in brackets is what the run recorded, shown
              only when they differ); SQL statements and rows come from the run's `sync_runs.counts`; audit rows are
              the rows added to `ashby_webhook_payloads`.
            - **Limit baseline**: every list page the backfill fetches (`feedbackFormDefinition.list`, `interview.list`,
              `interviewSchedule.list` with the same bodies, `users.list` with the same page size), fetched over one
              kept-alive raw HTTP/1.1 connection per service with no processing (the least any client can do; the
              benchmark links only `TestSupport` and `Postgres`), plus the same rows (domain tables, one
              audit row per schedule and per other Ashby page) loaded with one `COPY` per table into a fresh migrated
              database with its indexes and foreign keys. Rows are prepared before timing starts. (a) is every
              page fetched one after another; (b), the concurrent fetch floor, fetches each endpoint's cursor chain
              on its own connection at the same time as the others (no client can finish before its longest chain);
              (c) is (a) plus the `COPY`.
            - **Latency profiles**: `0 ms` (everything on loopback, at every size); at the smallest size also
              `0 ms, PostgreSQL +1 ms each way` (the job's connections and the baseline's `COPY` go through a
              loopback TCP proxy in the benchmark that holds every chunk 1 ms in each direction: a managed database
              nearby) and `Ashby 150 ms, Slack 100 ms` (the fakes answer every request after that delay, the
              latency a real tenant sees).
            - **Repeats**: per size and profile, \(repeats) backfill(s) (each into a fresh migrated database) and
              \(repeats) baseline(s), taking turns; every figure is the median run's (peak RSS: the highest of
              them), and "What users wait for" gives the range in brackets. The no-change and 1 % change syncs run
              once, after the last backfill. The first size and profile starts with one backfill and baseline
              more, not counted (cold binary, page cache and cluster). Through the database proxy, each
              backfill follows a direct one into its own database: the growth bar compares those two medians,
              measured in the same minutes.

            ## Bars


            """
        text += "| bar | verdict | figures |\n|---|---|---|\n"
        for bar in bars {
            text += "| \(bar.name) | \(bar.passed ? "**pass**" : "**FAIL**") | \(bar.detail) |\n"
        }
        text += "\n## What users wait for\n\n" + waitTable
        if let keptSection { text += "\n" + keptSection + "\n" }
        for result in results {
            text += "\n" + table(result)
        }
        return text
    }

    private func table(_ result: SizeBenchmark.Result) -> String {
        let runs = [result.backfill, result.noChange, result.change]
        let baseline = result.baseline
        var text = """
            ## \(result.factor)×, \(result.profile.name) — \(Format.count(result.shape.schedules)) schedules, \(Format.count(result.events)) events, \(Format.count(result.assignments)) assignments, \(Format.count(result.shape.interviews)) interviews, \(Format.count(result.shape.forms)) forms, \(Format.count(result.slackMembers)) Slack members

            **Backfill / baseline: \(Format.ratio(result.backfillOverBaseline))**

            Rows written are inserted / updated / deleted; the baseline column gives rows copied.

            | | backfill | no-change sync | 1 % change sync | limit baseline |
            |---|--:|--:|--:|--:|

            """
        func row(_ name: String, _ cells: [String], _ baselineCell: String) {
            text += "| \(name) | " + cells.joined(separator: " | ") + " | \(baselineCell) |\n"
        }
        row("wall time", runs.map { Format.seconds($0.wallSeconds) },
            "\(Format.seconds(baseline.totalSeconds)) (fetch \(Format.seconds(baseline.fetchSeconds)) + COPY \(Format.seconds(baseline.copySeconds)); concurrent fetch \(Format.seconds(baseline.concurrentFetchSeconds)))")
        row("CPU time of the process (user + sys)", runs.map { Format.seconds($0.cpuSeconds) }, "—")
        row("peak RSS", runs.map { Format.megabytes($0.peakRSSBytes) }, "—")
        row("Ashby requests", runs.map { requests($0.ashbyRequests, recorded: $0.summary.ashbyRequests) }, Format.count(baseline.ashbyRequests))
        row("Slack requests", runs.map { requests($0.slackRequests, recorded: $0.summary.slackRequests) }, Format.count(baseline.slackRequests))
        row("SQL statements", runs.map { Format.count($0.summary.sqlStatements) }, Format.count(baseline.sqlStatements))
        row("SQL round trips on the run's connection", runs.map { Format.count($0.summary.sqlRoundTrips) }, "—")
        for table in Self.tables {
            row("`\(table)` rows", runs.map { written($0.counts(table)) }, Format.count(baseline.rowsCopied[table] ?? 0))
        }
        row("`ashby_webhook_payloads` rows", runs.map { Format.count($0.auditRows) }, Format.count(baseline.rowsCopied["ashby_webhook_payloads"] ?? 0))
        row("domain rows written", runs.map { Format.count($0.domainRowsWritten) }, Format.count(baseline.rowsCopied.values.reduce(0, +)))
        row("pages per pass", runs.map { pages($0.pagesByEndpoint) }, "same as backfill")
        return text
    }

    private func requests(_ seen: Int, recorded: Int) -> String {
        seen == recorded ? Format.count(seen) : "\(Format.count(seen)) (run recorded \(Format.count(recorded)))"
    }

    private func written(_ counts: RunFigures.Counts) -> String {
        "\(Format.count(counts.inserted)) / \(Format.count(counts.updated)) / \(Format.count(counts.deleted))"
    }

    private func pages(_ byEndpoint: [String: Int]) -> String {
        byEndpoint.isEmpty ? "—" : byEndpoint.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: "<br>")
    }
}
