/// The sandbox's command line: `--env-file PATH [--ashby-port N] [--slack-port N] [--print-json]`.
///
/// Parsed by hand: the sandbox depends only on `TestSupport`, and four options do not need a parser library.
struct SandboxOptions {
    /// Where to write `ASHBY_API_URL`, `SLACK_API_URL`, `ASHBY_API_KEY` and `SLACK_BOT_TOKEN`.
    var envFile: String
    /// 0 lets the system pick a free port.
    var ashbyPort: UInt16 = 0
    var slackPort: UInt16 = 0
    /// Also print each DM's raw `chat.postMessage` body.
    var printJSON = false

    static let usage = "usage: ashby-feedback-sandbox --env-file PATH [--ashby-port N] [--slack-port N] [--print-json]"

    static let help = """
        \(usage)

        Plays Ashby and Slack on 127.0.0.1 for a local demo of ashby-feedback: seeds a small company whose
        interviews start around now, writes an env file pointing ashby-feedback at the fakes (with fake
        credentials), and prints every Slack DM it receives. Stops cleanly on SIGTERM or SIGINT.

          --env-file PATH   env file to write (required); pass it to `ashby-feedback --env-file`
          --ashby-port N    port of the fake Ashby API (default 0: any free port)
          --slack-port N    port of the fake Slack API (default 0: any free port)
          --print-json      also print the raw JSON body of every DM
        """

    /// A command line that cannot be run: printed in one line with the usage, exit status 64.
    struct UsageError: Error, CustomStringConvertible {
        var description: String
    }

    /// Parses the arguments after the program name; nil means `--help` was asked for.
    static func parse(_ arguments: [String]) throws(UsageError) -> SandboxOptions? {
        var envFile: String?
        var options = SandboxOptions(envFile: "")
        var remaining = arguments[...]
        while let argument = remaining.popFirst() {
            // Accept both `--option value` and `--option=value`.
            let parts = argument.split(separator: "=", maxSplits: 1).map(String.init)
            let name = parts[0]
            func value() throws(UsageError) -> String {
                if parts.count == 2 { return parts[1] }
                guard let next = remaining.popFirst() else { throw UsageError(description: "\(name) needs a value") }
                return next
            }
            switch name {
            case "--help", "-h":
                return nil
            case "--env-file":
                envFile = try value()
            case "--ashby-port":
                options.ashbyPort = try port(name, try value())
            case "--slack-port":
                options.slackPort = try port(name, try value())
            case "--print-json":
                options.printJSON = true
            default:
                throw UsageError(description: "unknown argument \(argument)")
            }
        }
        guard let envFile, !envFile.isEmpty else { throw UsageError(description: "--env-file PATH is required") }
        options.envFile = envFile
        return options
    }

    private static func port(_ name: String, _ text: String) throws(UsageError) -> UInt16 {
        guard let port = UInt16(text) else {
            throw UsageError(description: "\(name) must be a port number from 0 to 65535, got \"\(text)\"")
        }
        return port
    }
}
