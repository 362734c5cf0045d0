import Foundation

/// What an interviewer is reminded of: one interview event, with text as it came from Ashby (unescaped).
/// The same value renders the first DM and every later edit of it.
struct InterviewReminder: Sendable, Equatable {
    /// Where the interview stands for this reader.
    enum Standing: String, Sendable, Equatable {
        /// On the panel of a scheduled interview: the full reminder with the feedback form's link.
        case upcoming
        /// The schedule was cancelled or the event left it: marked cancelled, no feedback link.
        case cancelled
        /// The interview goes on without this reader: "You are no longer on this interview", no feedback link.
        case interviewerRemoved = "interviewer_removed"
        /// The interview is over and the reader's scorecard is in: marked submitted, no feedback link.
        case feedbackSubmitted = "feedback_submitted"
    }

    var candidateName: String?
    var jobTitle: String?
    /// When and where, the links, and the interview's title and instructions.
    var interview: InterviewFacts
    /// The candidate's Ashby profile (`profileUrl` of `candidate.info`, fetched during the pull), linked
    /// when it is an http(s) URL.
    var candidateProfileURL: String?
    /// The other interviewers on the panel, by name (never mentioned: nobody else is pinged).
    var otherInterviewers: [String] = []
    /// Scorecard section and field titles, in form order.
    var scorecardQuestions: [String] = []
    var standing: Standing = .upcoming
    /// The start this DM first announced, when it differs from `startTime`: shown as "Rescheduled: was …".
    var previousStartTime: Date?

    init(
        candidateName: String? = nil, jobTitle: String? = nil, interviewTitle: String? = nil,
        startTime: Date, endTime: Date, location: String? = nil, meetingLink: String? = nil,
        instructions: String? = nil, feedbackLink: String? = nil, candidateProfileURL: String? = nil,
        otherInterviewers: [String] = [], scorecardQuestions: [String] = [], standing: Standing = .upcoming,
        previousStartTime: Date? = nil
    ) {
        self.candidateName = candidateName
        self.jobTitle = jobTitle
        interview = InterviewFacts(
            interviewTitle: interviewTitle, startTime: startTime, endTime: endTime, location: location,
            meetingLink: meetingLink, instructions: instructions, feedbackLink: feedbackLink)
        self.candidateProfileURL = candidateProfileURL
        self.otherInterviewers = otherInterviewers
        self.scorecardQuestions = scorecardQuestions
        self.standing = standing
        self.previousStartTime = previousStartTime
    }

    /// The reminder of `interview`, with the names the synced applications (or the ledger) add to it.
    init(
        _ interview: InterviewFacts, names: MessageLedger.ShownNames, panel: MessageLedger.PanelFacts,
        standing: Standing = .upcoming, previousStartTime: Date? = nil
    ) {
        candidateName = names.candidateName
        jobTitle = names.jobTitle
        self.interview = interview
        candidateProfileURL = names.candidateProfileURL
        otherInterviewers = panel.otherInterviewers
        scorecardQuestions = panel.scorecardQuestions
        self.standing = standing
        self.previousStartTime = previousStartTime
    }
}
