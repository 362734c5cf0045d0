import AshbyFeedback
import ArgumentParser
import Foundation
import Logging

/// Sets up logging (on the live progress line's terminal, when there is one) and configuration for a subcommand and turns any error into one line on
/// standard error plus the documented exit code.
struct CommandContext {
    let logger: Logger
    let runID: UUID

    static func run(
        _ options: GlobalOptions,
        command: String,
        requirements: Configuration.Requirements,
        progress: ProgressLine? = nil,
        _ body: (Configuration, CommandContext) throws -> Void
    ) throws {
        let runID = UUID()
        // A closed log pipe or a peer closing a TLS connection must surface as an error, not kill the run.
        signal(SIGPIPE, SIG_IGN)
        let format = options.logFormat.resolved(stderrIsTerminal: StandardError.isTerminal)
        // With a live progress line, log lines are printed above it instead of through it.
        let output = progress.map { line in LineOutput { line.printAbove($0) } } ?? .standardError
        LoggingSystem.bootstrap { _ in LineLogHandler(format: format, level: options.logLevel, output: output) }
        var logger = Logger(label: "ashby-feedback")
        logger[metadataKey: "run_id"] = "\(runID.uuidString.lowercased())"
        logger[metadataKey: "command"] = "\(command)"
        do {
            let configuration = try Configuration.load(envFile: options.envFile, requirements: requirements)
            try body(configuration, CommandContext(logger: logger, runID: runID))
        } catch let exit as ExitCode {
            throw exit
        } catch {
            let failure = Failure(error)
            logger.error("command_failed", metadata: ["error": "\(failure.description)", "exit_code": .stringConvertible(Int(failure.status.rawValue))])
            progress?.clear()
            StandardError.write(errorLine(failure) + "\n")
            throw ExitCode(failure.status.rawValue)
        }
    }

    /// The one line a failed command prints on standard error (also the heartbeat's failure body).
    static func errorLine(_ failure: Failure) -> String {
        "ashby-feedback: error: \(failure.description)"
    }
}
