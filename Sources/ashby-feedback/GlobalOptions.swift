import ArgumentParser
import AshbyFeedback
import Logging

/// Options every subcommand accepts (SPEC §2).
struct GlobalOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("KEY=VALUE file filling unset environment variables (for cron).", valueName: "path"))
    var envFile: String?

    @Option(name: .long, help: "Log format: json (one object per line) or text.")
    var logFormat: LineLogHandler.Format = .json

    @Option(name: .long, help: "Lowest level logged: trace, debug, info, notice, warning, error, critical.")
    var logLevel: Logger.Level = .info
}

extension LineLogHandler.Format: ExpressibleByArgument {}
extension Logger.Level: @retroactive ExpressibleByArgument {}
