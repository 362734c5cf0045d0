import AshbyFeedback
import ArgumentParser
import Foundation
import Logging

/// Sets up logging and configuration for a subcommand and turns any error into one line on
/// standard error plus the documented exit code.
struct CommandContext {
    let logger: Logger
    let runID: UUID

    static func run(
        _ options: GlobalOptions,
        command: String,
        requirements: Configuration.Requirements,
        _ body: (Configuration, CommandContext) throws -> Void
    ) throws {
        let runID = UUID()
        // A closed log pipe or a peer closing a TLS connection must surface as an error, not kill the run.
        signal(SIGPIPE, SIG_IGN)
        LoggingSystem.bootstrap { _ in LineLogHandler(format: options.logFormat, level: options.logLevel) }
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
            FileHandle.standardError.write(Data("ashby-feedback: error: \(failure.description)\n".utf8))
            throw ExitCode(failure.status.rawValue)
        }
    }
}
