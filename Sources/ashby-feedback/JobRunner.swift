import AshbyAPI
import AshbyFeedback
import CurlHTTP
import Postgres
import SlackAPI

/// Builds the clients for `sync` and `backfill` and runs the engine.
enum JobRunner {
    static func run(_ options: GlobalOptions, request: SyncRequest) throws {
        let requirements = Configuration.Requirements(ashby: true, slack: request.sendReminders)
        try CommandContext.run(options, command: request.kind.rawValue, requirements: requirements) { configuration, context in
            let connection = try PostgresConnection(configuration.databaseURL)
            let ashby = AshbyClient(
                baseURL: configuration.ashbyAPIURL, apiKey: configuration.ashbyAPIKey ?? "",
                http: HTTPClient(logger: context.logger), logger: context.logger)
            let slack = request.sendReminders
                ? SlackClient(baseURL: configuration.slackAPIURL, botToken: configuration.slackBotToken ?? "",
                              http: HTTPClient(logger: context.logger), logger: context.logger)
                : nil
            let engine = SyncEngine(
                configuration: configuration, connection: connection, ashby: ashby, slack: slack,
                logger: context.logger, runID: context.runID)
            _ = try engine.run(request)
        }
    }
}
