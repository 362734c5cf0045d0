import Foundation
import TestSupport

/// `ashby-feedback-bench`: measures backfill and steady-state cost of the release binary on a synthetic
/// tenant against a limit baseline, at one or more tenant sizes, and writes BENCHMARKS.md.
/// Run it through `scripts/benchmark.sh`, which builds it and provides the PostgreSQL cluster.
@main
struct AshbyFeedbackBench {
    struct Options {
        var sizes = [1, 4]
        var schedules = TenantShape.standard.schedules
        var binary = ".build/release/ashby-feedback"
        var databaseDirectory = "database"
        var output = "BENCHMARKS.md"
        var workDirectory = ".build/benchmark"
        var command = "scripts/benchmark.sh"
        /// Backfills and baselines measured per size and profile (the median is reported).
        var repeats = 3
        /// Latency profiles besides loopback, run at the smallest size only (each adds seconds per page).
        var remoteProfiles = [LatencyProfile.nearbyDatabase, .internet]

        static let usage = """
            usage: ashby-feedback-bench [--sizes 1,4] [--schedules 5000] [--binary PATH] [--database-dir DIR]
                                        [--output BENCHMARKS.md] [--work-dir DIR] [--command TEXT] [--repeats 3]
                                        [--loopback-only | --remote database|internet]
            Needs TEST_DATABASE_URL (an admin URL to a throwaway cluster): run it through scripts/benchmark.sh.
              --sizes       tenant sizes as multiples of the standard tenant (default 1,4)
              --schedules   schedules of the 1x tenant; the other counts scale with it (default 5000)
              --binary      the ashby-feedback executable to measure (default .build/release/ashby-feedback)
              --output      the report to write (default BENCHMARKS.md)
              --work-dir    where each run's log goes (default .build/benchmark)
              --command     the command line recorded in the report (default scripts/benchmark.sh)
              --repeats     backfills and baselines per size and profile, the median reported (default 3)
              --loopback-only  skip the latency profiles (PostgreSQL +1 ms, Ashby 150 ms / Slack 100 ms)
              --remote      run only this latency profile besides loopback: database (PostgreSQL +1 ms)
                            or internet (Ashby 150 ms / Slack 100 ms)
            """

        init(arguments: [String]) throws {
            var remaining = arguments[...]
            func value(_ name: String) throws -> String {
                guard let value = remaining.popFirst() else { throw UsageError(message: "\(name) needs a value") }
                return value
            }
            while let argument = remaining.popFirst() {
                switch argument {
                case "--sizes":
                    let text = try value(argument)
                    sizes = text.split(separator: ",").compactMap { Int($0) }.filter { $0 > 0 }
                    guard !sizes.isEmpty else { throw UsageError(message: "--sizes must list positive whole numbers, got \"\(text)\"") }
                case "--schedules":
                    let text = try value(argument)
                    guard let count = Int(text), count >= 100 else { throw UsageError(message: "--schedules must be at least 100, got \"\(text)\"") }
                    schedules = count
                case "--binary": binary = try value(argument)
                case "--database-dir": databaseDirectory = try value(argument)
                case "--output": output = try value(argument)
                case "--work-dir": workDirectory = try value(argument)
                case "--command": command = try value(argument)
                case "--repeats":
                    let text = try value(argument)
                    guard let count = Int(text), (1...15).contains(count) else { throw UsageError(message: "--repeats must be 1 to 15, got \"\(text)\"") }
                    repeats = count
                case "--loopback-only": remoteProfiles = []
                case "--remote":
                    switch try value(argument) {
                    case "database": remoteProfiles = [.nearbyDatabase]
                    case "internet": remoteProfiles = [.internet]
                    case let other: throw UsageError(message: "--remote must be database or internet, got \"\(other)\"")
                    }
                case "-h", "--help": throw UsageError(message: nil)
                default: throw UsageError(message: "unknown argument \(argument)")
                }
            }
        }

        /// The standard tenant with `schedules` schedules, other counts in proportion.
        var baseShape: TenantShape {
            let standard = TenantShape.standard
            func share(_ count: Int) -> Int { max(1, count * schedules / standard.schedules) }
            return TenantShape(
                schedules: schedules, interviews: share(standard.interviews), forms: share(standard.forms),
                slackUsers: share(standard.slackUsers), interviewers: share(standard.interviewers))
        }
    }

    struct UsageError: Error {
        var message: String?
    }

    static func main() async {
        do {
            let options = try Options(arguments: Array(CommandLine.arguments.dropFirst()))
            try await run(options)
        } catch let error as UsageError {
            if let message = error.message { print("ashby-feedback-bench: \(message)") }
            print(Options.usage)
            exit(error.message == nil ? 0 : 64)
        } catch {
            print("ashby-feedback-bench: error: \(error)")
            exit(1)
        }
    }

    private static func run(_ options: Options) async throws {
        guard let adminURL = ProcessInfo.processInfo.environment["TEST_DATABASE_URL"], !adminURL.isEmpty else {
            throw UsageError(message: "TEST_DATABASE_URL is not set: run scripts/benchmark.sh, which starts a throwaway cluster")
        }
        guard FileManager.default.isExecutableFile(atPath: options.binary) else {
            throw UsageError(message: "\(options.binary) is not an executable: build it with swift build -c release")
        }
        try FileManager.default.createDirectory(atPath: options.workDirectory, withIntermediateDirectories: true)
        let machine = try MachineInfo.collect(databaseURL: adminURL)
        var results: [SizeBenchmark.Result] = []
        let sizes = options.sizes.sorted()
        var runs = sizes.map { (factor: $0, profile: LatencyProfile.loopback) }
        runs.insert(contentsOf: options.remoteProfiles.map { (factor: sizes[0], profile: $0) }, at: 1)
        for run in runs {
            let size = SizeBenchmark(
                factor: run.factor, shape: options.baseShape.scaled(by: run.factor), profile: run.profile,
                binary: options.binary, databaseDirectory: options.databaseDirectory, workDirectory: options.workDirectory,
                repeats: options.repeats, warmUp: results.isEmpty)
            results.append(try await size.run())
        }
        let previous = try? String(contentsOfFile: options.output, encoding: .utf8)
        let report = BenchmarkReport(
            machine: machine, command: options.command, results: results,
            keptSection: previous.flatMap(BenchmarkReport.keptSection(in:)))
        try report.render().write(toFile: options.output, atomically: true, encoding: .utf8)
        for bar in report.bars {
            print("\(bar.passed ? "pass" : "FAIL"): \(bar.name): \(bar.detail)")
        }
        print("wrote \(options.output)")
    }
}
