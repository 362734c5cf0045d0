import Foundation

/// One overdue scorecard as a digest lists it: which interview, whose feedback, for which candidate,
/// and how overdue it was when the digest was composed. Stored with the digest (`digest_items`), so
/// an edit renders the same lines again and only strikes what cleared.
struct DigestItem: Codable, Sendable, Equatable {
    var eventID: String
    var interviewerID: String
    var applicationID: String?
    var candidateName: String?
    var jobTitle: String?
    var stageTitle: String?
    var interviewTitle: String?
    /// A name, never a mention: a digest must not ping the interviewer.
    var interviewerName: String?
    var endTime: Date
    var feedbackLink: String?
    /// Minutes past the deadline (end + FEEDBACK_OVERDUE_HOURS) when the digest was composed.
    var overdueMinutes: Int

    var key: DigestItemKey { DigestItemKey(eventID: eventID, interviewerID: interviewerID) }
}

/// One (event, interviewer) pair: the unit of feedback a digest chases.
struct DigestItemKey: Hashable, Sendable, Codable {
    var eventID: String
    var interviewerID: String
}

/// Why a listed item no longer needs chasing (the edit strikes it).
enum DigestClearance: String, Sendable, Equatable {
    case submitted
    case cancelled
}
