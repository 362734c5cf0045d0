import AshbyAPI
import AshbyFeedback
import CurlHTTP
import Foundation
import Logging
import Postgres
import SlackAPI

/// Builds the clients for `sync` and `backfill`, runs the engine, and reports the run to what
/// watches it from outside: the heartbeat monitor (`HEARTBEAT_URL`) and the metrics file
/// (`METRICS_FILE`). A skipped run and a dry run report nothing; neither can change the exit code.
enum JobRunner {
    static func run(_ options: GlobalOptions, progress: ProgressLine?, request: SyncRequest) throws {
        let requirements = Configuration.Requirements(ashby: true, slack: request.sendReminders)
        try CommandContext.run(options, command: request.kind.rawValue, requirements: requirements, progress: progress) { configuration, context in
            defer { progress?.clear() }
            let monitored = !request.dryRun
            let heartbeat = monitored ? configuration.heartbeatURL.map { Heartbeat(url: $0, logger: context.logger) } : nil
            let metrics = monitored ? configuration.metricsFile.map(MetricsFile.init) : nil
            let started = Date()
            var connection: PostgresConnection?
            do {
                let database = try PostgresConnection(configuration.databaseURL)
                connection = database
                let observers: [(any RunObserver)?] = [heartbeat, progress]
                // HTTP timeouts and Retry-After waits are capped by what remains of the run's budget.
                let budget = RunBudget(for: request, configuration: configuration)
                let engine = SyncEngine(
                    configuration: configuration, connection: database,
                    ashby: AshbyClient(baseURL: configuration.ashbyAPIURL, apiKey: configuration.ashbyAPIKey ?? "",
                                       apiVersion: configuration.ashbyAPIVersion,
                                       http: HTTPClient(deadline: budget.ashbyDeadline(), logger: context.logger), logger: context.logger),
                    slack: request.sendReminders
                        ? SlackClient(baseURL: configuration.slackAPIURL, botToken: configuration.slackBotToken ?? "",
                                      http: HTTPClient(deadline: budget.slackDeadline(), logger: context.logger), logger: context.logger)
                        : nil,
                    logger: context.logger, runID: context.runID, observer: RunObservers(observers.compactMap { $0 }))
                let (outcome, summary) = try engine.run(request)
                guard outcome != .skipped else { return }
                heartbeat?.succeeded()
                writeMetrics(metrics, connection: database, logger: context.logger, lastRun: RunMetrics.LastRun(
                    runID: context.runID, succeeded: true, exitCode: 0, startedAt: started, finishedAt: Date(), summary: summary))
            } catch {
                let failure = Failure(error)
                heartbeat?.failed(line: CommandContext.errorLine(failure))
                writeMetrics(metrics, connection: connection, logger: context.logger, lastRun: RunMetrics.LastRun(
                    runID: context.runID, succeeded: false, exitCode: failure.status.rawValue, startedAt: started,
                    finishedAt: Date(), summary: nil))
                throw error
            }
        }
    }

    /// Writes the metrics file; what the database cannot tell is left out, and a file that cannot be
    /// written is one warning.
    private static func writeMetrics(_ file: MetricsFile?, connection: PostgresConnection?, logger: Logger, lastRun: RunMetrics.LastRun) {
        guard let file else { return }
        var stored: RunMetrics.Stored?
        if let connection {
            do {
                stored = try RunMetrics.Stored.read(connection, now: Date())
            } catch {
                logger.warning("metrics_incomplete", metadata: ["error": "\(Failure(error).description)"])
            }
        }
        do {
            try file.write(RunMetrics(lastRun: lastRun, stored: stored).render())
        } catch {
            logger.warning("metrics_not_written", metadata: ["error": "\(error)"])
        }
    }
}
