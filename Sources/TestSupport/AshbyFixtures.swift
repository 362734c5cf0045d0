import Foundation

/// Builders for Ashby payloads in the shapes the real API returns (reference §8), as `JSONValue` so tests can
/// change any field afterwards: an unknown status, a dropped key, an explicit `null`.
///
/// Ids default to fresh lowercase UUIDs (the database columns are `uuid`). Optional arguments passed as nil
/// are omitted from the object, as Ashby omits unset optional fields (an interviewer without `email`, an
/// event without `location`/`meetingLink`, a shared interview without `jobId`, no instructions); set a
/// key to `.null` afterwards for the explicit `null` Ashby also sends.
public enum AshbyFixtures {
    /// A fresh lowercase UUID string.
    public static func id() -> String {
        UUID().uuidString.lowercased()
    }

    /// Ashby's timestamp form: UTC with milliseconds, `2024-10-20T14:00:00.000Z`.
    public static func timestamp(_ date: Date) -> String {
        date.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true))
    }

    /// A fixed instant used for `createdAt`/`updatedAt` defaults, so fixtures serialize identically.
    public static let referenceDate = Date(timeIntervalSince1970: 1_727_773_200)  // 2024-10-01T09:00:00Z

    public static func interviewer(
        id: String = id(), email: String? = "ian@example.com", firstName: String = "Ian",
        lastName: String = "Interviewer", trainingRole: String? = nil, isFeedbackRequired: Bool = true
    ) -> JSONValue {
        var object: JSONValue = [
            "id": .string(id), "firstName": .string(firstName), "lastName": .string(lastName),
            "globalRole": "Limited Access", "isEnabled": true, "updatedAt": .string(timestamp(referenceDate)),
            "trainingRole": trainingRole.map(JSONValue.string) ?? .null, "interviewerPool": .null,
            "isFeedbackRequired": .bool(isFeedbackRequired),
        ]
        object["email"] = email.map(JSONValue.string)
        return object
    }

    /// An interview event; `end` defaults to one hour after `start`, `scheduleId` to the enclosing
    /// schedule's id when passed to `schedule(events:)`.
    public static func event(
        id: String = id(), interviewId: String, scheduleId: String? = nil, start: Date, end: Date? = nil,
        interviewers: [JSONValue] = [], location: String? = "Google Meet",
        meetingLink: String? = "https://meet.google.com/abc-defg-hij", hasSubmittedFeedback: Bool = false,
        updatedAt: Date = referenceDate
    ) -> JSONValue {
        var object: JSONValue = [
            "id": .string(id), "interviewId": .string(interviewId),
            "startTime": .string(timestamp(start)),
            "endTime": .string(timestamp(end ?? start.addingTimeInterval(3600))),
            "createdAt": .string(timestamp(referenceDate)), "updatedAt": .string(timestamp(updatedAt)),
            "feedbackLink": .string("https://app.ashbyhq.com/interview-briefings/\(id)/feedback"),
            "interviewerCalendarEventId": .null, "hasSubmittedFeedback": .bool(hasSubmittedFeedback),
            "notetakerTranscriptId": .null, "extraData": [:],
            "interviewerUserIds": .array(interviewers.compactMap { $0["id"] }),
            "interviewers": .array(interviewers),
        ]
        object["interviewScheduleId"] = scheduleId.map(JSONValue.string)
        object["location"] = location.map(JSONValue.string)
        object["meetingLink"] = meetingLink.map(JSONValue.string)
        return object
    }

    /// Every `status` Ashby's reference lists for a schedule, from asking the candidate to done. Ashby
    /// may add values; the product keeps any string.
    public static let scheduleStatuses = [
        "NeedsScheduling", "WaitingOnCandidateBooking", "WaitingOnCandidateAvailability", "CandidateAvailabilitySubmitted",
        "Scheduled", "WaitingOnFeedback", "Complete", "Cancelled", "OnHold", "Unknown",
    ]

    /// An interview schedule; events without an `interviewScheduleId` get this schedule's id. `status`
    /// is `Scheduled`, a booked loop still ahead; once its first interview is over a loop reads
    /// `WaitingOnFeedback` (`FakeAshby.setScheduleStatus` moves it on).
    public static func schedule(
        id: String = id(), status: String = "Scheduled", applicationId: String = id(),
        interviewStageId: String = id(), candidateId: String? = nil, events: [JSONValue] = [],
        updatedAt: Date = referenceDate, scheduledBy: JSONValue = .null
    ) -> JSONValue {
        let events = events.map { event in
            var event = event
            if event["interviewScheduleId"] == nil { event["interviewScheduleId"] = .string(id) }
            return event
        }
        var object: JSONValue = [
            "id": .string(id), "status": .string(status), "applicationId": .string(applicationId),
            "interviewStageId": .string(interviewStageId), "createdAt": .string(timestamp(referenceDate)),
            "updatedAt": .string(timestamp(updatedAt)), "scheduledBy": scheduledBy, "interviewEvents": .array(events),
        ]
        object["candidateId"] = candidateId.map(JSONValue.string)
        return object
    }

    /// An interview definition; `jobId` nil makes it a shared interview (the key is then absent, as in Ashby).
    public static func interview(
        id: String = id(), title: String = "Technical Interview", externalTitle: String? = nil,
        jobId: String? = nil, feedbackFormDefinitionId: String = id(), isArchived: Bool = false,
        isDebrief: Bool = false, instructionsPlain: String? = "60 minutes. Focus on system design.",
        instructionsHtml: String? = "<p>60 minutes. Focus on system design.</p>"
    ) -> JSONValue {
        var object: JSONValue = [
            "id": .string(id), "title": .string(title), "externalTitle": .string(externalTitle ?? title),
            "isArchived": .bool(isArchived), "isDebrief": .bool(isDebrief), "isFeedbackRequired": true,
            "isFeedbackRequested": true, "feedbackFormDefinitionId": .string(feedbackFormDefinitionId),
        ]
        object["instructionsPlain"] = instructionsPlain.map(JSONValue.string)
        object["instructionsHtml"] = instructionsHtml.map(JSONValue.string)
        object["jobId"] = jobId.map(JSONValue.string)
        return object
    }

    /// A feedback form definition with a two-field scorecard.
    public static func form(
        id: String = id(), title: String = "Technical Scorecard", interviewId: String? = nil,
        isArchived: Bool = false, isDefaultForm: Bool = false
    ) -> JSONValue {
        let recommendation: JSONValue = [
            "isRequired": true,
            "field": [
                "id": .string(Self.id()), "type": "ValueSelect", "path": "overall_recommendation",
                "humanReadablePath": "Overall Recommendation", "title": "Overall Recommendation",
                "isNullable": false,
                "selectableValues": [["label": "Hire", "value": "hire"], ["label": "No Hire", "value": "no_hire"]],
            ],
        ]
        let notes: JSONValue = [
            "isRequired": false,
            "field": [
                "id": .string(Self.id()), "type": "RichText", "path": "notes", "humanReadablePath": "Notes",
                "title": "Notes", "isNullable": true,
            ],
        ]
        var object: JSONValue = [
            "id": .string(id), "organizationId": "8b1e5b4e-4b7a-4a39-9a4e-0c2f7f0a1d11", "title": .string(title),
            "isArchived": .bool(isArchived), "isDefaultForm": .bool(isDefaultForm),
            "formDefinition": ["sections": [["title": "Assessment", "fields": [recommendation, notes]]]],
        ]
        object["interviewId"] = interviewId.map(JSONValue.string)
        return object
    }

    /// An Ashby user as `scheduledBy` carries it.
    public static func user(
        id: String = id(), email: String? = "rita@example.com", firstName: String = "Rita", lastName: String = "Recruiter"
    ) -> JSONValue {
        var object: JSONValue = [
            "id": .string(id), "firstName": .string(firstName), "lastName": .string(lastName),
            "globalRole": "Elevated Access", "isEnabled": true, "updatedAt": .string(timestamp(referenceDate)),
        ]
        object["email"] = email.map(JSONValue.string)
        return object
    }

    /// One `hiringTeam` entry of an application.
    public static func hiringTeamMember(
        userId: String = id(), email: String = "rita@example.com", firstName: String = "Rita",
        lastName: String = "Recruiter", role: String = "Recruiter"
    ) -> JSONValue {
        [
            "userId": .string(userId), "firstName": .string(firstName), "lastName": .string(lastName),
            "email": .string(email), "role": .string(role),
        ]
    }

    /// Every `status` an application can have, as `application.list` filters them.
    public static let applicationStatuses = ["Active", "Archived", "Hired", "Lead"]

    /// An item of `application.list` (the same shape `application.info` returns): its candidate, job,
    /// stage and hiring team. An `Archived` one carries `archiveReason` (an object, `archiveReason(...)`
    /// by default) and `archivedAt` (its `updatedAt`); any other status has neither key, as Ashby omits
    /// unset optional fields.
    public static func application(
        id: String = id(), candidateId: String = id(), candidateName: String = "Casey Candidate",
        jobId: String = id(), jobTitle: String = "Backend Engineer", stageTitle: String = "Technical Screen",
        hiringTeam: [JSONValue] = [], status: String = "Active", archiveReason: JSONValue? = nil,
        updatedAt: Date = referenceDate
    ) -> JSONValue {
        var object: JSONValue = [
            "id": .string(id), "createdAt": .string(timestamp(referenceDate)),
            "updatedAt": .string(timestamp(updatedAt)), "status": .string(status),
            "candidate": ["id": .string(candidateId), "name": .string(candidateName)],
            "currentInterviewStage": [
                "id": .string(Self.id()), "title": .string(stageTitle), "type": "Active", "orderInInterviewPlan": 2,
                "interviewPlanId": .string(Self.id()),
            ],
            "job": ["id": .string(jobId), "title": .string(jobTitle)],
            "hiringTeam": .array(hiringTeam), "customFields": [],
            "source": ["id": .string(Self.id()), "title": "LinkedIn", "isArchived": false],
        ]
        if status == "Archived" {
            object["archiveReason"] = archiveReason ?? Self.archiveReason()
            object["archivedAt"] = .string(timestamp(updatedAt))
        }
        return object
    }

    /// An application's `archiveReason`: why it was archived (rejected by the company, withdrawn, …).
    public static func archiveReason(text: String = "Not a fit", reasonType: String = "RejectedByOrg") -> JSONValue {
        ["id": .string(id()), "text": .string(text), "reasonType": .string(reasonType), "isArchived": false]
    }

    /// A `candidate.info` result.
    public static func candidate(id: String = id(), name: String = "Casey Candidate") -> JSONValue {
        [
            "id": .string(id), "name": .string(name), "createdAt": .string(timestamp(referenceDate)),
            "updatedAt": .string(timestamp(referenceDate)), "emailAddresses": [], "phoneNumbers": [],
            "socialLinks": [], "tags": [], "applicationIds": [], "fileHandles": [],
            "profileUrl": .string("https://app.ashbyhq.com/candidates/\(id)"),
        ]
    }

    /// An `applicationFeedback.list` item as Ashby's reference documents it: feedback `submittedBy` an
    /// interviewer (a user object such as `interviewer(...)`) for an application, with the interview it
    /// was for (`interviewId`) and the event (`eventId`), each omitted when nil (`interviewEventId` is
    /// optional: feedback outside an interview, and some given for one, lack it), and the scorecard
    /// answers in `submittedValues`. No `creditedToUser`: the reference has none on a feedback.
    public static func feedback(
        id: String = id(), applicationId: String = id(), eventId: String?, interviewId: String? = nil,
        submittedBy: JSONValue, formDefinitionId: String = id(), submittedAt: Date = referenceDate,
        submittedValues: JSONValue = ["overall_recommendation": "hire", "notes": "Strong on trade-offs."]
    ) -> JSONValue {
        var object: JSONValue = [
            "id": .string(id), "applicationId": .string(applicationId), "submittedByUser": submittedBy,
            "feedbackFormDefinitionId": .string(formDefinitionId), "submittedAt": .string(timestamp(submittedAt)),
            "submittedValues": submittedValues, "applicationHistoryId": .string(Self.id()),
            "formDefinition": ["sections": [["title": "Assessment", "fields": []]]],
        ]
        object["interviewEventId"] = eventId.map(JSONValue.string)
        object["interviewId"] = interviewId.map(JSONValue.string)
        return object
    }
}
