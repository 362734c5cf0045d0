import Foundation
import TestSupport

/// `ashby-feedback-sandbox`: the fake Ashby and Slack from `TestSupport`, serving a seeded company on
/// 127.0.0.1 so `ashby-feedback sync` can run end to end without credentials (the README's demo).
///
/// Prints the seeded interviews, then "sandbox ready: …" once the env file is written, then every DM and
/// every edit of one as it arrives. On SIGUSR1 it moves one interview and cancels another (printing
/// "sandbox changed: …"). Exits 0 on SIGTERM or SIGINT, 64 on a bad command line, 1 when it cannot start.
@main
enum Sandbox {
    /// Fake credentials: the fakes accept exactly these, and they are obviously not real.
    static let ashbyAPIKey = "sandbox-ashby-key"
    static let slackBotToken = "xoxb-sandbox-token"

    static func main() async {
        let options: SandboxOptions
        do {
            guard let parsed = try SandboxOptions.parse(Array(CommandLine.arguments.dropFirst())) else {
                Console.line(SandboxOptions.help)
                return
            }
            options = parsed
        } catch {
            Console.error("ashby-feedback-sandbox: \(error) (\(SandboxOptions.usage))")
            exit(64)
        }
        // A log reader that goes away must not kill the fakes mid-request.
        signal(SIGPIPE, SIG_IGN)
        do {
            try await run(options)
        } catch {
            Console.error("ashby-feedback-sandbox: \(error)")
            exit(1)
        }
    }

    private static func run(_ options: SandboxOptions) async throws {
        let ashby: FakeAshby
        let slack: FakeSlack
        do {
            ashby = try await FakeAshby.start(apiKey: ashbyAPIKey, port: options.ashbyPort)
        } catch {
            throw StartError("cannot start the fake Ashby on \(place(options.ashbyPort)): \(error)")
        }
        do {
            slack = try await FakeSlack.start(botToken: slackBotToken, port: options.slackPort)
        } catch {
            await ashby.stop()
            throw StartError("cannot start the fake Slack on \(place(options.slackPort)): \(error)")
        }

        let company = SandboxCompany(now: Date())
        company.seed(ashby: ashby, slack: slack)
        do {
            try writeEnvFile(
                options.envFile, ashbyURL: ashby.baseURL, slackURL: slack.baseURL, everyDay: company.zone.needsEveryDay)
        } catch {
            await ashby.stop()
            await slack.stop()
            throw error
        }
        company.summary().forEach(Console.line)
        Console.line(
            "sandbox ready: Ashby at \(ashby.baseURL), Slack at \(slack.baseURL), env file \(options.envFile)"
                + " (stop with SIGTERM or Ctrl-C)")

        let printing = Task { [directory = company.slackUsers, printJSON = options.printJSON] in
            var printer = DMPrinter(directory: directory, printJSON: printJSON)
            while true {
                printer.printNew(slack.messages)
                printer.printNewEdits(slack.updates)
                if Task.isCancelled { return printer.printedCount }
                try? await Task.sleep(for: .milliseconds(200))
            }
        }
        // SIGUSR1: the company moves an interview and cancels another, as recruiters do (the demo's second sync edits the DMs).
        let changes = ScheduleChangeSignal.install {
            company.changeSchedules(ashby: ashby).forEach(Console.line)
        }
        defer { changes.cancel() }
        let signal = await TerminationSignal.next()
        await ashby.stop()
        await slack.stop()
        printing.cancel()
        let delivered = await printing.value
        let attempts = slack.server.requests.filter { $0.path == FakeSlack.postMessagePath }.count
        Console.line(
            "sandbox stopped (\(signal)): \(delivered) DMs delivered, \(slack.updates.count) DMs edited, "
                + "\(attempts - delivered) chat.postMessage calls refused")
    }

    /// Where a fake was to listen. FlyingFox reports a port that is taken as a timeout, so a fixed port
    /// comes with what that most likely means.
    private static func place(_ port: UInt16) -> String {
        port == 0 ? "127.0.0.1" : "127.0.0.1 port \(port) (is another process using it? try another port or 0)"
    }

    /// Writes the variables `ashby-feedback --env-file` needs to talk to the fakes, readable only by the
    /// owner (as a real env file with secrets should be), replacing the file in one step.
    /// - Parameter everyDay: no time zone is on a weekday now: nudges may go out on any day (`WORKING_DAYS`).
    private static func writeEnvFile(_ path: String, ashbyURL: String, slackURL: String, everyDay: Bool) throws {
        let contents = """
            # Written by ashby-feedback-sandbox: fake Ashby and Slack on loopback, fake credentials.
            ASHBY_API_URL=\(ashbyURL)
            ASHBY_API_KEY=\(ashbyAPIKey)
            SLACK_API_URL=\(slackURL)
            SLACK_BOT_TOKEN=\(slackBotToken)
            \(everyDay ? "WORKING_DAYS=Mon-Sun\n" : "")
            """
        let temporary = path + ".tmp"
        guard
            FileManager.default.createFile(
                atPath: temporary, contents: Data(contents.utf8), attributes: [.posixPermissions: 0o600])
        else {
            throw StartError("cannot write the env file \(temporary): \(String(cString: strerror(errno)))")
        }
        guard rename(temporary, path) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(temporary)
            throw StartError("cannot write the env file \(path): \(reason)")
        }
    }

    /// Why the sandbox could not start, in one line.
    struct StartError: Error, CustomStringConvertible {
        var description: String
        init(_ description: String) { self.description = description }
    }
}
