/// A step failed after doing part of its work: the engine keeps `summary` and fails the run with `error`.
struct StepFailure: Error {
    var summary: RunSummary
    var error: any Error
}
