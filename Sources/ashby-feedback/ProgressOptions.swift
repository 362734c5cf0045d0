import ArgumentParser
import AshbyFeedback

/// `--no-progress` for the commands that pull data (`sync`, `backfill`).
struct ProgressOptions: ParsableArguments {
    @Flag(name: .long, help: "No live progress line, even when standard error is a terminal.")
    var noProgress = false

    /// The live line, when a person is watching: standard error is a terminal and it was not turned off.
    func progressLine() -> ProgressLine? {
        !noProgress && StandardError.isTerminal ? ProgressLine() : nil
    }
}
