import AshbyAPI
import Foundation
import TestSupport
import Testing

/// Lenient decoding of list items through `AshbyPage.decodeItems`, as the sync engine uses it.
@Suite struct AshbyModelDecodingTests {
    private func page(_ items: [String], endpoint: AshbyListEndpoint = .interviewSchedules) -> AshbyPage {
        AshbyPage(
            endpoint: endpoint, rawBody: Data(), rawItems: items.map { Data($0.utf8) }, moreDataAvailable: false,
            nextCursor: nil, syncToken: nil)
    }

    /// The reference's recorded page-1 schedule (§8), with fields the models ignore.
    private let referenceSchedule = """
        {"id":"sch-1","status":"Scheduled","applicationId":"app-1","interviewStageId":"stg-1",
         "createdAt":"2024-10-01T09:00:00.000Z","updatedAt":"2024-10-02T10:00:00Z",
         "scheduledBy":{"id":"usr-9","firstName":"Rita","lastName":"Recruiter","email":"rita@example.com"},
         "interviewEvents":[{"id":"evt-1","interviewId":"int-1","interviewScheduleId":"sch-1",
          "startTime":"2024-10-20T14:00:00.000Z","endTime":"2024-10-20T15:00:00.000Z",
          "createdAt":"2024-10-02T10:00:00.000Z","updatedAt":"2024-10-02T10:00:00.000Z",
          "feedbackLink":"https://app.ashbyhq.com/interview-briefings/evt-1/feedback",
          "location":"Google Meet","meetingLink":"https://meet.google.com/abc-defg-hij",
          "interviewerCalendarEventId":null,"hasSubmittedFeedback":false,"extraData":{},"interviewerUserIds":["usr-1"],
          "interviewers":[{"id":"usr-1","firstName":"Ian","lastName":"Interviewer","email":"ian@example.com",
           "globalRole":"Limited Access","isEnabled":true,"trainingRole":"Reverse-Shadow","interviewerPool":null,
           "isFeedbackRequired":true}]}]}
        """

    @Test func decodesTheReferenceSchedule() throws {
        let schedules = try page([referenceSchedule]).decodeItems(AshbyInterviewSchedule.self)
        let schedule = try #require(schedules.first)
        #expect(schedule.id == "sch-1")
        #expect(schedule.status == "Scheduled")
        #expect(schedule.applicationId == "app-1")
        #expect(schedule.interviewStageId == "stg-1")
        #expect(schedule.candidateId == nil)
        #expect(schedule.updatedAt == Date(timeIntervalSince1970: 1_727_863_200))
        let event = try #require(schedule.interviewEvents.first)
        #expect(event.startTime == Date(timeIntervalSince1970: 1_729_432_800))
        #expect(event.endTime == Date(timeIntervalSince1970: 1_729_436_400))
        #expect(event.interviewScheduleId == "sch-1")
        #expect(event.location == "Google Meet")
        #expect(event.feedbackLink == "https://app.ashbyhq.com/interview-briefings/evt-1/feedback")
        #expect(event.hasSubmittedFeedback == false)
        #expect(
            event.interviewers == [
                AshbyInterviewer(
                    id: "usr-1", firstName: "Ian", lastName: "Interviewer", email: "ian@example.com",
                    trainingRole: "Reverse-Shadow", isFeedbackRequired: true)
            ])
    }

    @Test(arguments: ["OnHold", "Unknown", "SomethingAshbyAddsNextYear"])
    func keepsStatusValuesItDoesNotKnow(status: String) throws {
        var schedule = AshbyFixtures.schedule(status: status)
        schedule["status"] = .string(status)
        let decoded = try page([schedule.jsonString]).decodeItems(AshbyInterviewSchedule.self)
        #expect(decoded.map(\.status) == [status])
    }

    @Test func treatsAbsentAndNullOptionalsAlike() throws {
        let start = Date(timeIntervalSince1970: 1_729_432_800)
        var absent = AshbyFixtures.event(interviewId: AshbyFixtures.id(), start: start)
        for key in ["location", "meetingLink", "feedbackLink", "createdAt", "hasSubmittedFeedback", "interviewers"] {
            absent[key] = nil
        }
        var null = absent
        for key in ["location", "meetingLink", "feedbackLink", "createdAt", "hasSubmittedFeedback", "interviewers"] {
            null[key] = .null
        }
        let schedule = AshbyFixtures.schedule(events: [absent, null])
        let events = try #require(page([schedule.jsonString]).decodeItems(AshbyInterviewSchedule.self).first)
            .interviewEvents
        #expect(events.count == 2)
        for event in events {
            #expect(event.location == nil && event.meetingLink == nil && event.feedbackLink == nil)
            #expect(event.createdAt == nil)
            #expect(event.hasSubmittedFeedback == false)
            #expect(event.interviewers.isEmpty)
        }
        var bare = AshbyFixtures.schedule()
        bare["interviewEvents"] = nil
        bare["updatedAt"] = .null
        let decoded = try #require(page([bare.jsonString]).decodeItems(AshbyInterviewSchedule.self).first)
        #expect(decoded.interviewEvents.isEmpty)
        #expect(decoded.updatedAt == nil)
    }

    @Test func interviewerWithoutEmailDecodes() throws {
        let interviewer = AshbyFixtures.interviewer(email: nil, trainingRole: "Shadow")
        let event = AshbyFixtures.event(interviewId: "int-1", start: Date(), interviewers: [interviewer])
        let schedule = try #require(
            page([AshbyFixtures.schedule(events: [event]).jsonString]).decodeItems(AshbyInterviewSchedule.self).first)
        let decoded = try #require(schedule.interviewEvents.first?.interviewers.first)
        #expect(decoded.email == nil)
        #expect(decoded.trainingRole == "Shadow")
    }

    @Test func missingRequiredFieldNamesItemIdAndField() throws {
        let good = AshbyFixtures.schedule()
        var event = AshbyFixtures.event(interviewId: AshbyFixtures.id(), start: Date())
        event["startTime"] = nil
        let badID = AshbyFixtures.id()
        let bad = AshbyFixtures.schedule(id: badID, events: [event])
        let error = #expect(throws: AshbyError.self) {
            try page([good.jsonString, bad.jsonString]).decodeItems(AshbyInterviewSchedule.self)
        }
        guard case .malformed? = error?.kind else {
            Issue.record("expected a malformed error, got \(String(describing: error))")
            return
        }
        #expect(
            error?.description
                == "interviewSchedule.list: malformed response: results[1] (id \(badID)): "
                + "missing field interviewEvents[0].startTime")
        #expect(error?.isSyncTokenOrCursorExpiry == false)
        #expect(error?.isTemporary == false)
    }

    @Test(arguments: [
        ("id", #"missing field id"#), ("status", #"missing field status"#),
        ("applicationId", #"missing field applicationId"#),
    ])
    func scheduleRequiresItsKeyFields(field: String, expected: String) throws {
        var schedule = AshbyFixtures.schedule()
        schedule[field] = nil
        let error = #expect(throws: AshbyError.self) {
            try page([schedule.jsonString]).decodeItems(AshbyInterviewSchedule.self)
        }
        #expect(error?.description.hasSuffix(expected) == true)
    }

    @Test func nullInRequiredFieldAndWrongTypesAreNamed() throws {
        var nullStatus = AshbyFixtures.schedule()
        nullStatus["status"] = .null
        let nullError = #expect(throws: AshbyError.self) {
            try page([nullStatus.jsonString]).decodeItems(AshbyInterviewSchedule.self)
        }
        #expect(nullError?.description.hasSuffix("missing field status (null)") == true)

        var event = AshbyFixtures.event(interviewId: "int-1", start: Date())
        event["hasSubmittedFeedback"] = "yes"
        let wrongType = #expect(throws: AshbyError.self) {
            try page([AshbyFixtures.schedule(events: [event]).jsonString]).decodeItems(AshbyInterviewSchedule.self)
        }
        #expect(
            wrongType?.description.hasSuffix("field interviewEvents[0].hasSubmittedFeedback: expected a boolean")
                == true)

        var badTime = AshbyFixtures.event(interviewId: "int-1", start: Date())
        badTime["endTime"] = "tomorrow-ish"
        let timeError = #expect(throws: AshbyError.self) {
            try page([AshbyFixtures.schedule(events: [badTime]).jsonString]).decodeItems(AshbyInterviewSchedule.self)
        }
        #expect(
            timeError?.description.contains(#"interviewEvents[0].endTime: invalid timestamp "tomorrow-ish""#) == true)
    }

    @Test func itemThatIsNotJSONIsMalformed() throws {
        let error = #expect(throws: AshbyError.self) {
            try page(["{\"id\": "]).decodeItems(AshbyInterviewSchedule.self)
        }
        #expect(error?.description == "interviewSchedule.list: malformed response: results[0]: invalid JSON")
    }

    @Test func interviewDefaultsAndSharedInterviews() throws {
        var shared = AshbyFixtures.interview(title: "Debrief", isDebrief: true, instructionsPlain: nil)
        shared["isArchived"] = nil
        let jobID = AshbyFixtures.id()
        let specific = AshbyFixtures.interview(jobId: jobID, isArchived: true)
        let interviews = try page([shared.jsonString, specific.jsonString], endpoint: .interviews)
            .decodeItems(AshbyInterview.self)
        #expect(interviews.map(\.isArchived) == [false, true])
        #expect(interviews.map(\.jobId) == [nil, jobID])
        #expect(interviews[0].instructionsPlain == nil)
        #expect(interviews[0].isDebrief == true)
        #expect(interviews[1].instructionsPlain == "60 minutes. Focus on system design.")
    }

    @Test func formDefinitionIsKeptAsJSON() throws {
        let form = AshbyFixtures.form(title: "Scorecard", isArchived: true)
        let decoded = try #require(
            page([form.jsonString], endpoint: .feedbackFormDefinitions).decodeItems(AshbyFeedbackFormDefinition.self)
                .first)
        #expect(decoded.title == "Scorecard")
        #expect(decoded.isArchived)
        let definition = try JSONValue(parsing: try #require(decoded.formDefinition))
        #expect(definition == form["formDefinition"])

        var withoutDefinition = form
        withoutDefinition["formDefinition"] = .null
        let bare = try page([withoutDefinition.jsonString], endpoint: .feedbackFormDefinitions)
            .decodeItems(AshbyFeedbackFormDefinition.self)
        #expect(bare.first?.formDefinition == nil)
    }
}
