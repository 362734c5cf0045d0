import ArgumentParser
import AshbyFeedback
import Logging

/// Options every subcommand accepts (SPEC §2).
struct GlobalOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("KEY=VALUE file filling unset environment variables (for cron).", valueName: "path"))
    var envFile: String?

    @Option(name: .long, help: "Log format: auto (text on a terminal, JSON lines otherwise), json (one object per line) or text.")
    var logFormat: LogFormatChoice = .auto

    @Option(name: .long, help: "Lowest level logged: trace, debug, info, notice, warning, error, critical.")
    var logLevel: Logger.Level = .info
}

/// `--log-format`: a format, or `auto` to pick by where standard error goes.
enum LogFormatChoice: String, CaseIterable, ExpressibleByArgument {
    case auto, json, text

    /// Readable text for a person at a terminal; JSON lines for cron, systemd, Kubernetes and pipes.
    func resolved(stderrIsTerminal: Bool) -> LineLogHandler.Format {
        switch self {
        case .auto: stderrIsTerminal ? .text : .json
        case .json: .json
        case .text: .text
        }
    }
}

extension Logger.Level: @retroactive ExpressibleByArgument {}
