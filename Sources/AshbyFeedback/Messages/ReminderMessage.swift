import Foundation

/// Builds the reminder DM: Block Kit blocks plus an escaped plain fallback `text`.
///
/// Every string from Ashby is whitespace-collapsed, escaped for mrkdwn and cut to a budget, so the
/// message stays within Slack's limits (section text 3,000, header 150, button text 75 and URL 3,000,
/// 50 blocks, fallback text 4,000) whatever Ashby sends.
public enum ReminderMessage {
    /// Budgets in UTF-16 units of escaped text; together they keep each section under 3,000.
    private static let nameBudget = 300
    private static let locationBudget = 1_000
    private static let linkBudget = 1_200
    private static let instructionsBudget = 2_900
    /// Instructions are shortened to this many characters before escaping.
    private static let instructionsCharacters = 500
    private static let buttonURLLimit = 3_000

    private static let header = "Interview reminder"
    private static let buttonText = "Open feedback form"
    private static let buttonActionID = "open_feedback_form"

    /// The message to post to `channel` (the interviewer's Slack user ID).
    public static func make(_ reminder: InterviewReminder, channel: String) -> SlackMessage {
        SlackMessage(channel: channel, text: fallbackText(reminder), blocksJSON: encode(blocks(reminder)))
    }

    private static func blocks(_ reminder: InterviewReminder) -> [Block] {
        var blocks: [Block] = [.header(header), .section(summary(reminder)), .section(details(reminder))]
        if let instructions = cleaned(reminder.instructions) {
            let shortened = SlackMarkdown.truncate(instructions, maxCharacters: instructionsCharacters)
            blocks.append(.section("*Instructions:*\n" + SlackMarkdown.escape(shortened, maxLength: instructionsBudget)))
        }
        if let link = reminder.feedbackLink.flatMap(SlackMarkdown.webURL), link.utf16.count <= buttonURLLimit {
            blocks.append(.actions([Block.LinkButton(text: buttonText, url: link, actionID: buttonActionID)]))
        }
        return blocks
    }

    /// `*Onsite: System design* with *Jane Doe*`
    private static func summary(_ reminder: InterviewReminder) -> String {
        var text = "*\(escapedTitle(reminder))*"
        if let candidate = cleaned(reminder.candidateName) {
            text += " with *\(SlackMarkdown.escape(candidate, maxLength: nameBudget))*"
        }
        return text
    }

    /// Job, time and duration, location and meeting link, one per line.
    private static func details(_ reminder: InterviewReminder) -> String {
        var lines: [String] = []
        if let job = cleaned(reminder.jobTitle) {
            lines.append("*Job:* " + SlackMarkdown.escape(job, maxLength: nameBudget))
        }
        var when = "*When:* " + SlackMarkdown.dateToken(reminder.startTime)
        if let minutes = durationMinutes(reminder) {
            when += " (\(minutes) min)"
        }
        lines.append(when)
        if let location = cleaned(reminder.location) {
            lines.append("*Where:* " + SlackMarkdown.escape(location, maxLength: locationBudget))
        }
        if let meeting = cleaned(reminder.meetingLink) {
            let link = SlackMarkdown.link(meeting, label: "Join meeting").flatMap { $0.utf16.count <= linkBudget ? $0 : nil }
            lines.append("*Meeting link:* " + (link ?? SlackMarkdown.escape(meeting, maxLength: linkBudget)))
        }
        return lines.joined(separator: "\n")
    }

    /// `Interview reminder: Onsite with Jane Doe (Senior Engineer) at 2023-11-14 22:13 UTC`
    private static func fallbackText(_ reminder: InterviewReminder) -> String {
        var text = "\(header): \(escapedTitle(reminder))"
        if let candidate = cleaned(reminder.candidateName) {
            text += " with " + SlackMarkdown.escape(candidate, maxLength: nameBudget)
        }
        if let job = cleaned(reminder.jobTitle) {
            text += " (\(SlackMarkdown.escape(job, maxLength: nameBudget)))"
        }
        return text + " at " + SlackMarkdown.utcText(reminder.startTime)
    }

    /// Whole minutes between start and end, or `nil` when the end is not after the start.
    private static func durationMinutes(_ reminder: InterviewReminder) -> Int? {
        let minutes = Int((reminder.endTime.timeIntervalSince(reminder.startTime) / 60).rounded())
        return minutes > 0 ? minutes : nil
    }

    private static func escapedTitle(_ reminder: InterviewReminder) -> String {
        SlackMarkdown.escape(cleaned(reminder.interviewTitle) ?? "Interview", maxLength: nameBudget)
    }

    /// Whitespace-collapsed text, or `nil` when nothing is left.
    private static func cleaned(_ text: String?) -> String? {
        guard let text else { return nil }
        let collapsed = SlackMarkdown.collapsingWhitespace(text)
        return collapsed.isEmpty ? nil : collapsed
    }

    private static func encode(_ blocks: [Block]) -> Data {
        do {
            return try JSONEncoder().encode(blocks)
        } catch {
            preconditionFailure("Block Kit blocks hold only strings and always encode: \(error)")
        }
    }
}
