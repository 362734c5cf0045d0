import Foundation
import SlackAPI

/// Builds the reminder DM, and every later edit of it: Block Kit blocks plus an escaped plain fallback `text`.
///
/// Every string from Ashby is whitespace-collapsed, escaped for mrkdwn and cut to a budget. What a
/// reminder must show (header, interview and candidate, job, time, place, meeting link, the feedback
/// form's link) fits Slack's limits by those budgets alone; the rest of the panel, the scorecard's
/// questions and the instructions take what `MessageBudget` has left, in that order, the
/// instructions shortened to fit. A cancelled interview, or one the reader was taken off, keeps its
/// summary and time but loses the meeting link and the feedback link; so does one whose feedback is
/// in (marked submitted). Links are mrkdwn: no button, so nothing needs an interactivity endpoint.
enum ReminderMessage {
    /// Budgets in UTF-16 units of escaped text; together they keep each section under 3,000 and
    /// what must be shown well under the message's total.
    private static let nameBudget = 300
    private static let locationBudget = 1_000
    private static let linkBudget = 1_200
    private static let feedbackLinkBudget = 2_000
    private static let instructionsBudget = 2_900
    private static let panelNameBudget = 100
    private static let panelNames = 8
    private static let questionBudget = 200
    private static let questionLines = 8
    /// Instructions are shortened to this many characters before escaping.
    private static let instructionsCharacters = 500
    /// Fewer characters left than this for the instructions: they are left out rather than cut to a stub.
    private static let instructionsMinimum = 100
    private static let instructionsHeading = "*Instructions:*\n"

    /// The message to post to (or update in) `channel`: the interviewer's user ID for a post, the DM ID for an edit.
    static func make(_ reminder: InterviewReminder, channel: String) -> SlackMessage {
        MessageText.message(channel: channel, text: fallbackText(reminder), blocks: blocks(reminder))
    }

    private static func header(_ standing: InterviewReminder.Standing) -> String {
        switch standing {
        case .upcoming: "Interview reminder"
        case .cancelled: "Interview cancelled"
        case .interviewerRemoved: "Interview update"
        case .feedbackSubmitted: "Feedback submitted"
        }
    }

    private static func blocks(_ reminder: InterviewReminder) -> [Block] {
        var blocks: [Block] = [.header(header(reminder.standing))]
        switch reminder.standing {
        case .cancelled:
            blocks.append(.section("*This interview was cancelled.* No feedback is needed."))
        case .interviewerRemoved:
            blocks.append(.section("*You are no longer on this interview.* No feedback is needed from you."))
        case .feedbackSubmitted:
            blocks.append(.section(":white_check_mark: *Feedback submitted.* Thank you!"))
        case .upcoming:
            break
        }
        blocks += [.section(summary(reminder)), .section(details(reminder))]
        guard reminder.standing == .upcoming else { return blocks }
        let feedback = MessageText.feedbackLink(reminder.interview.feedbackLink, maxLength: feedbackLinkBudget)
            .map { Block.section("*Feedback:* " + $0) }
        var budget = MessageBudget()
        budget.reserve(blocks + (feedback.map { [$0] } ?? []))
        if let panel = panelAndScorecard(reminder).map(Block.section), budget.take(panel) {
            blocks.append(panel)
        }
        if let instructions = MessageText.cleaned(reminder.interview.instructions) {
            let room = min(instructionsBudget, budget.textLeft - SlackLimits.length(instructionsHeading))
            let shortened = SlackMarkdown.truncate(instructions, maxCharacters: instructionsCharacters)
            let section = Block.section(instructionsHeading + SlackMarkdown.escape(shortened, maxLength: room))
            if room >= instructionsMinimum, budget.take(section) {
                blocks.append(section)
            }
        }
        if let feedback { blocks.append(feedback) }
        return blocks
    }

    /// `*Onsite: System design* with *Jane Doe* (<https://…|Ashby profile>)`
    private static func summary(_ reminder: InterviewReminder) -> String {
        var text = "*\(escapedTitle(reminder))*"
        if let candidate = MessageText.cleaned(reminder.candidateName) {
            text += " with *\(SlackMarkdown.escape(candidate, maxLength: nameBudget))*"
        }
        if let profile = reminder.candidateProfileURL.flatMap({ SlackMarkdown.link($0, label: "Ashby profile") }),
            profile.utf16.count <= linkBudget
        {
            text += " (\(profile))"
        }
        return text
    }

    /// What changed, job, time and duration, location and meeting link, one per line.
    private static func details(_ reminder: InterviewReminder) -> String {
        var lines: [String] = []
        if let previous = reminder.previousStartTime, previous != reminder.interview.startTime {
            lines.append("*Rescheduled:* was " + SlackMarkdown.dateToken(previous))
        }
        if let job = MessageText.cleaned(reminder.jobTitle) {
            lines.append("*Job:* " + SlackMarkdown.escape(job, maxLength: nameBudget))
        }
        var when = "*When:* " + SlackMarkdown.dateToken(reminder.interview.startTime)
        if let minutes = durationMinutes(reminder) {
            when += " (\(minutes) min)"
        }
        lines.append(when)
        guard reminder.standing == .upcoming else { return lines.joined(separator: "\n") }
        if let location = MessageText.cleaned(reminder.interview.location) {
            lines.append("*Where:* " + SlackMarkdown.escape(location, maxLength: locationBudget))
        }
        if let meeting = MessageText.cleaned(reminder.interview.meetingLink) {
            let link = SlackMarkdown.link(meeting, label: "Join meeting").flatMap { $0.utf16.count <= linkBudget ? $0 : nil }
            lines.append("*Meeting link:* " + (link ?? SlackMarkdown.escape(meeting, maxLength: linkBudget)))
        }
        return lines.joined(separator: "\n")
    }

    /// The rest of the panel (names, never mentions) and the scorecard's questions, or nil when neither is known.
    private static func panelAndScorecard(_ reminder: InterviewReminder) -> String? {
        var lines: [String] = []
        let names = reminder.otherInterviewers.compactMap(MessageText.cleaned)
        if !names.isEmpty {
            var shown = names.prefix(panelNames).map { SlackMarkdown.escape($0, maxLength: panelNameBudget) }
            if names.count > panelNames { shown.append("and \(names.count - panelNames) more") }
            lines.append("*Also on the panel:* " + shown.joined(separator: ", "))
        }
        let questions = reminder.scorecardQuestions.compactMap(MessageText.cleaned)
        if !questions.isEmpty {
            lines.append("*Scorecard:*")
            lines += questions.prefix(questionLines).map { "• " + SlackMarkdown.escape($0, maxLength: questionBudget) }
            if questions.count > questionLines { lines.append("• and \(questions.count - questionLines) more") }
        }
        return lines.isEmpty ? nil : lines.joined(separator: "\n")
    }

    /// `Interview reminder: Onsite with Jane Doe (Senior Engineer) at 2023-11-14 22:13 UTC`
    private static func fallbackText(_ reminder: InterviewReminder) -> String {
        var text = "\(header(reminder.standing)): \(escapedTitle(reminder))"
        if let candidate = MessageText.cleaned(reminder.candidateName) {
            text += " with " + SlackMarkdown.escape(candidate, maxLength: nameBudget)
        }
        if let job = MessageText.cleaned(reminder.jobTitle) {
            text += " (\(SlackMarkdown.escape(job, maxLength: nameBudget)))"
        }
        text += " at " + SlackMarkdown.utcText(reminder.interview.startTime)
        switch reminder.standing {
        case .upcoming:
            return reminder.previousStartTime.map { text + " (rescheduled, was " + SlackMarkdown.utcText($0) + ")" } ?? text
        case .cancelled: return text + ": no feedback needed"
        case .interviewerRemoved: return text + ": you are no longer on this interview"
        case .feedbackSubmitted: return text + ": feedback submitted, thank you"
        }
    }

    /// Whole minutes between start and end, or `nil` when the end is not after the start.
    private static func durationMinutes(_ reminder: InterviewReminder) -> Int? {
        let minutes = Int((reminder.interview.endTime.timeIntervalSince(reminder.interview.startTime) / 60).rounded())
        return minutes > 0 ? minutes : nil
    }

    private static func escapedTitle(_ reminder: InterviewReminder) -> String {
        SlackMarkdown.escape(MessageText.cleaned(reminder.interview.interviewTitle) ?? "Interview", maxLength: nameBudget)
    }


}
