import Foundation
import TestSupport

/// The rows a backfill of the tenant ends up writing, prepared up front for the baseline's COPY.
struct TableRows {
    var table: String
    var columns: [String]
    var rows: [[String?]]
}

extension SyntheticTenant {
    /// Every domain table's rows plus one audit row per schedule, in foreign-key order. The audit rows
    /// of other pages come from the fetched page bodies (see `LimitBaseline`).
    func tableRows() -> [TableRows] {
        [formRows(), interviewRows(), scheduleRows(), eventRows(), assignmentRows(), slackUserRows(), scheduleAuditRows()]
    }

    private func formRows() -> TableRows {
        TableRows(
            table: "feedback_form_definitions",
            columns: ["form_definition_id", "title", "definition", "is_archived", "is_default_form", "interview_id"],
            rows: forms.map { form in
                [form["id"]?.stringValue, form["title"]?.stringValue, form["formDefinition"]?.jsonString,
                 Self.bool(form["isArchived"]?.boolValue), Self.bool(form["isDefaultForm"]?.boolValue),
                 form["interviewId"]?.stringValue]
            })
    }

    private func interviewRows() -> TableRows {
        TableRows(
            table: "interviews",
            columns: ["interview_id", "title", "external_title", "feedback_form_definition_id", "job_id", "is_archived",
                      "is_debrief", "instructions_plain", "instructions_html"],
            rows: interviews.map { interview in
                [interview["id"]?.stringValue, interview["title"]?.stringValue, interview["externalTitle"]?.stringValue,
                 interview["feedbackFormDefinitionId"]?.stringValue, interview["jobId"]?.stringValue,
                 Self.bool(interview["isArchived"]?.boolValue), Self.bool(interview["isDebrief"]?.boolValue),
                 interview["instructionsPlain"]?.stringValue, interview["instructionsHtml"]?.stringValue]
            })
    }

    private func scheduleRows() -> TableRows {
        let created = AshbyFixtures.timestamp(AshbyFixtures.referenceDate)
        return TableRows(
            table: "interview_schedules",
            columns: ["schedule_id", "application_id", "interview_stage_id", "status", "candidate_id",
                      "ashby_created_at", "ashby_updated_at"],
            rows: schedules.map { schedule in
                [schedule.id, schedule.applicationID, schedule.stageID, schedule.status, schedule.candidateID, created,
                 AshbyFixtures.timestamp(schedule.updatedAt)]
            })
    }

    private func eventRows() -> TableRows {
        let created = AshbyFixtures.timestamp(AshbyFixtures.referenceDate)
        var rows: [[String?]] = []
        for schedule in schedules {
            for event in schedule.events {
                rows.append([
                    event.id, schedule.id, event.interviewID, AshbyFixtures.timestamp(event.start),
                    AshbyFixtures.timestamp(event.end), "https://app.ashbyhq.com/interview-briefings/\(event.id)/feedback",
                    "Google Meet", "https://meet.google.com/abc-defg-hij", "f", created,
                    AshbyFixtures.timestamp(event.updatedAt),
                ])
            }
        }
        return TableRows(
            table: "interview_events",
            columns: ["event_id", "schedule_id", "interview_id", "start_time", "end_time", "feedback_link", "location",
                      "meeting_link", "has_submitted_feedback", "ashby_created_at", "ashby_updated_at"],
            rows: rows)
    }

    private func assignmentRows() -> TableRows {
        var rows: [[String?]] = []
        for event in schedules.lazy.flatMap(\.events) {
            for person in event.interviewers.map({ interviewers[$0] }) {
                rows.append([event.id, person.id, person.email, person.firstName, person.lastName, nil, "t"])
            }
        }
        return TableRows(
            table: "interview_assignments",
            columns: ["event_id", "interviewer_id", "email", "first_name", "last_name", "training_role",
                      "is_feedback_required"],
            rows: rows)
    }

    private func slackUserRows() -> TableRows {
        TableRows(
            table: "slack_users",
            columns: ["slack_user_id", "email", "real_name", "display_name", "is_bot", "deleted"],
            rows: slackUsers.compactMap { user in
                guard let email = user.email, !user.isBot else { return nil }
                return [user.id, email.lowercased(), user.realName, user.displayName, "f", Self.bool(user.deleted)]
            })
    }

    private func scheduleAuditRows() -> TableRows {
        TableRows(
            table: "ashby_webhook_payloads", columns: ["schedule_id", "action", "payload"],
            rows: schedules.map { [$0.id, Self.scheduleAction, json($0).jsonString] })
    }

    private static func bool(_ value: Bool?) -> String? {
        value.map { $0 ? "t" : "f" }
    }
}
