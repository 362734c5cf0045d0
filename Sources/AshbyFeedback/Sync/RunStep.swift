/// One step of a run (a pull, a reminder pass, the audit prune): the engine runs them in order
/// and merges what each returns into the run's summary.
///
/// A step that throws fails alone: the engine logs it, runs the others, and the run ends with the
/// first failure. A step is skipped when `isWanted` says it has nothing to do in this run.
protocol RunStep {
    /// The step's name in `step_failed` and `step_skipped` log lines.
    var name: String { get }
    /// A data step stops at the run's data budget and is not started once it is spent.
    var isDataStep: Bool { get }
    func isWanted(in context: RunContext) -> Bool
    /// Runs the step and returns the counts it adds to the run's summary.
    func run(in context: RunContext) throws -> RunSummary
}

extension RunStep {
    var isDataStep: Bool { true }
    func isWanted(in context: RunContext) -> Bool { true }
}
