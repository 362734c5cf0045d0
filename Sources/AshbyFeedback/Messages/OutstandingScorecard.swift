import Foundation

/// One line of a nudge: an interview whose scorecard the reader still owes (or, after an edit, has
/// submitted), with text as it came from Ashby (unescaped). Kept with the nudge's ledger items, so
/// the line renders the same in every later edit.
struct OutstandingScorecard: Sendable, Equatable {
    var eventID: String
    var interviewerID: String
    var candidateName: String?
    var jobTitle: String?
    var interviewTitle: String?
    var endedAt: Date
    /// Ashby's feedback form link, linked from the line when it is an http(s) URL.
    var feedbackLink: String?
    /// The scorecard came in after the nudge: the line says so and loses its link.
    var submitted = false
}
