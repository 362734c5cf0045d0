import Foundation
import Postgres

/// One interview event as a DM tells it: when and where, its links, and the interview's title and
/// instructions, as Ashby sent them. What a due reminder and a posted one to edit both read.
struct InterviewFacts: Sendable, Equatable {
    var interviewTitle: String?
    var startTime: Date
    var endTime: Date
    var location: String?
    var meetingLink: String?
    var instructions: String?
    /// Ashby's feedback form link, shown as a mrkdwn link when it is an http(s) URL.
    var feedbackLink: String?

    /// What a query selects for them, from events `e` and interviews `i`.
    static let columns = "e.start_time, e.end_time, e.feedback_link, e.location, e.meeting_link, i.title, i.instructions_plain"

    init(
        interviewTitle: String? = nil, startTime: Date, endTime: Date, location: String? = nil, meetingLink: String? = nil,
        instructions: String? = nil, feedbackLink: String? = nil
    ) {
        self.interviewTitle = interviewTitle
        self.startTime = startTime
        self.endTime = endTime
        self.location = location
        self.meetingLink = meetingLink
        self.instructions = instructions
        self.feedbackLink = feedbackLink
    }

    /// The facts of a row that selected `columns`.
    init(row: PostgresRow) throws {
        interviewTitle = try row["title"].decode(String?.self)
        startTime = try row["start_time"].decode(Date.self)
        endTime = try row["end_time"].decode(Date.self)
        location = try row["location"].decode(String?.self)
        meetingLink = try row["meeting_link"].decode(String?.self)
        instructions = try row["instructions_plain"].decode(String?.self)
        feedbackLink = try row["feedback_link"].decode(String?.self)
    }
}
