import Foundation
import Synchronization
import Testing
import TestSupport
@testable import AshbyFeedback

/// The pieces behind the heartbeat, the metrics file and the progress line, without the binary.
@Suite(.timeLimit(.minutes(3))) struct OperationsTests {
    // MARK: Progress line

    /// Collects what the progress line writes to its terminal.
    final class Terminal: Sendable {
        private let written = Mutex("")
        var text: String { written.withLock { $0 } }
        func write(_ text: String) { written.withLock { $0 += text } }
    }

    /// A clock the test moves by hand.
    final class ManualClock: Sendable {
        private let current = Mutex(Date(timeIntervalSince1970: 1_800_000_000))
        func now() -> Date { current.withLock { $0 } }
        func advance(_ seconds: TimeInterval) { current.withLock { $0 += seconds } }
    }

    @Test func progressIsRewrittenInPlaceWithElapsedTimeAndLogsGoAboveIt() {
        let terminal = Terminal(), clock = ManualClock()
        let line = ProgressLine(write: { terminal.write($0) }, now: { clock.now() })
        line.printAbove("before\n")
        line.runStarted()
        clock.advance(12.7)
        line.progress(RunProgress(resource: "interview_schedules", pages: 3, items: 1))
        line.printAbove("a log line\n")
        line.clear()
        line.clear()
        let erase = ProgressLine.eraseLine
        #expect(terminal.text == "before\n"
            + erase + "interview_schedules: page 3, 1 item, 12s"
            + erase + "a log line\n" + "interview_schedules: page 3, 1 item, 12s"
            + erase)
    }

    // MARK: Prometheus text and the metrics file

    @Test func prometheusTextEscapesAndSkipsWhatIsNotANumber() throws {
        var text = PrometheusText()
        text.gauge("ashby_feedback_x", help: "Back\\slash and\nnewline.", [
            .init(labels: ["b": "quote \" here", "a": "new\nline"], value: 1.5),
            .init(labels: ["a": "nan"], value: .nan),
        ])
        text.gauge("ashby_feedback_empty", help: "No samples.", [])
        text.gauge("ashby_feedback_whole", help: "Whole.", 1_800_000_000)
        #expect(text.text == """
            # HELP ashby_feedback_x Back\\\\slash and\\nnewline.
            # TYPE ashby_feedback_x gauge
            ashby_feedback_x{a="new\\nline",b="quote \\" here"} 1.500
            # HELP ashby_feedback_whole Whole.
            # TYPE ashby_feedback_whole gauge
            ashby_feedback_whole 1800000000

            """)
    }

    @Test func metricsWithoutTheDatabaseStillParse() throws {
        let run = RunMetrics.LastRun(
            runID: UUID(), succeeded: false, exitCode: 75, startedAt: Date(timeIntervalSince1970: 1_800_000_000),
            finishedAt: Date(timeIntervalSince1970: 1_800_000_002.25), summary: nil)
        let parsed = try PrometheusParser.parse(RunMetrics(lastRun: run, stored: nil).render())
        #expect(parsed.value("ashby_feedback_last_run_duration_seconds") == 2.25)
        #expect(parsed.value("ashby_feedback_last_run_exit_code") == 75)
        #expect(parsed.value("ashby_feedback_last_success_timestamp_seconds") == nil)
    }

    @Test func theMetricsFileIsReplacedWholeAndAFailureLeavesNoTemporaryFile() throws {
        let directory = try TemporaryDirectory("af-mf")
        defer { directory.remove() }
        let file = MetricsFile(path: directory.file("a.prom").path)
        try file.write("one\n")
        try file.write("two\n")
        #expect(try String(contentsOfFile: file.path, encoding: .utf8) == "two\n")
        let permissions = try FileManager.default.attributesOfItem(atPath: file.path)[.posixPermissions] as? Int
        #expect(permissions == 0o644, "readable by node_exporter whatever the umask")
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path) == ["a.prom"])

        // The target is a directory: the rename fails after the temporary file was written.
        let blocked = MetricsFile(path: directory.file("blocked.prom").path)
        try FileManager.default.createDirectory(atPath: blocked.path + "/inside", withIntermediateDirectories: true)
        #expect(throws: MetricsFileError.self) { try blocked.write("x\n") }
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted() == ["a.prom", "blocked.prom"])
    }

    // MARK: The engine's observer

    /// Records what the engine tells it.
    final class Recorder: RunObserver, @unchecked Sendable {
        private let lock = NSLock()
        private var recorded: [String] = []
        var events: [String] { lock.withLock { recorded } }
        func runStarted() { lock.withLock { recorded.append("started") } }
        func progress(_ update: RunProgress) { lock.withLock { recorded.append("\(update.resource) \(update.pages) \(update.items)") } }
    }

    @Test func theEngineReportsItsStartAndEachPageButNothingWhenItSkips() async throws {
        let harness = try await SyncHarness.start(pageSize: 2)
        defer { Task { await harness.stop() } }
        harness.ashby.upsertSchedules((0..<3).map { _ in AshbyFixtures.schedule(events: []) })
        let recorder = Recorder()
        try await harness.run(SyncRequest(kind: .sync, sendReminders: false), observer: recorder)
        #expect(recorder.events.first == "started")
        #expect(recorder.events.contains("interview_schedules 1 2"))
        #expect(recorder.events.contains("interview_schedules 2 3"))

        let holder = try harness.connect()
        #expect(try holder.tryAdvisoryLock(SyncEngine.lockKey))
        let skipped = Recorder()
        let (outcome, _) = try await harness.run(SyncRequest(kind: .sync, sendReminders: false), observer: skipped)
        #expect(outcome == .skipped)
        #expect(skipped.events.isEmpty)
    }
}
