import Foundation
import Postgres

/// A step run on its own thread and PostgreSQL connection while the engine's thread runs the Ashby
/// passes (the Slack directory: its pages depend on nothing Ashby returns). The engine joins it where
/// the step stands in the list, so later steps see what it wrote, as if it had run there.
///
/// The step gets a context of its own (connection, no pacer) sharing the run's clients, clock,
/// budget and conditions; until the join, the engine's thread uses the Slack client only for the
/// reminder passes between backfill pages, one call at a time (`RunContext.slackLock`).
final class ConcurrentStep: @unchecked Sendable {
    let name: String
    private let done = Latch()
    private var outcome: Result<RunSummary, any Error> = .success(RunSummary())

    /// Starts `step` at once. A connection that cannot be opened fails the step, not the run.
    init(_ step: any RunStep, in context: RunContext) {
        name = step.name
        let box = Box(step: step, context: context)
        Thread.detachNewThread { [self] in
            outcome = Result {
                let connections = box.context.sideConnections
                let connection = try connections.open()
                defer { connections.done(with: connection) }
                return try box.step.run(in: box.context.onOwnConnection(connection))
            }
            done.open()
        }
    }

    /// Waits for the step and returns what it returned (or throws what it threw).
    func join() throws -> RunSummary {
        done.wait()
        return try outcome.get()
    }

    private struct Box: @unchecked Sendable {
        let step: any RunStep
        let context: RunContext
    }
}
