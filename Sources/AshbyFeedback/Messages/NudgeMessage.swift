import Foundation
import SlackAPI

/// Builds the post-interview nudge, and every later edit of it: one DM listing every scorecard the
/// reader still owes (candidate, interview, when it ended, its feedback button), so several
/// outstanding scorecards cost one notification, not one each. A line whose scorecard came in is
/// struck through and says so, without a button.
///
/// Ashby text is whitespace-collapsed, escaped and cut to a budget; at most `maxLines` lines (the
/// caller lists no more), so the message stays well inside Slack's 50 blocks and 3,000 characters a section.
enum NudgeMessage {
    /// Lines per message: two blocks each, plus header and intro.
    static let maxLines = 10
    private static let nameBudget = 300
    private static let buttonURLLimit = 3_000
    private static let buttonText = "Submit feedback"

    /// The message to post to (or update in) `channel`: the user ID for a post, the DM ID for an edit.
    static func make(_ scorecards: [OutstandingScorecard], channel: String) -> SlackMessage {
        let lines = Array(scorecards.prefix(maxLines))
        return SlackMessage(channel: channel, text: fallbackText(lines), blocksJSON: MessageText.encode(blocks(lines)))
    }

    private static func header(_ lines: [OutstandingScorecard]) -> String {
        let open = lines.filter { !$0.submitted }.count
        if open == 0 { return "Feedback submitted, thank you" }
        return open == 1 ? "Your feedback is due" : "\(open) scorecards are waiting for you"
    }

    private static func intro(_ lines: [OutstandingScorecard]) -> String {
        let open = lines.filter { !$0.submitted }.count
        if open == 0 { return "Every scorecard listed here is in. Thank you!" }
        if lines.count == 1 { return "Your scorecard for this interview is still missing:" }
        return "Your scorecards for these interviews are still missing (\(open) of \(lines.count) open):"
    }

    private static func blocks(_ lines: [OutstandingScorecard]) -> [Block] {
        var blocks: [Block] = [.header(header(lines)), .section(intro(lines))]
        for (index, line) in lines.enumerated() {
            blocks.append(.section(describe(line)))
            guard !line.submitted, let link = line.feedbackLink.flatMap(SlackMarkdown.webURL),
                  link.utf16.count <= buttonURLLimit else { continue }
            // Action ids must be unique within a message.
            blocks.append(.actions([Block.LinkButton(text: buttonText, url: link, actionID: "open_feedback_form_\(index + 1)")]))
        }
        return blocks
    }

    /// `*System Design* with *Casey Candidate* (Backend Engineer)` and `Ended …`; struck through once submitted.
    private static func describe(_ line: OutstandingScorecard) -> String {
        var summary = "*\(title(line))*"
        if let candidate = MessageText.cleaned(line.candidateName) {
            summary += " with *\(SlackMarkdown.escape(candidate, maxLength: nameBudget))*"
        }
        if let job = MessageText.cleaned(line.jobTitle) {
            summary += " (\(SlackMarkdown.escape(job, maxLength: nameBudget)))"
        }
        let ended = "Ended " + SlackMarkdown.dateToken(line.endedAt)
        guard line.submitted else { return summary + "\n" + ended }
        return "~\(summary)~\n:white_check_mark: *Feedback submitted.* Thank you!"
    }

    /// `Your feedback is due: System Design with Casey Candidate (ended 2027-01-15 08:00 UTC)`
    private static func fallbackText(_ lines: [OutstandingScorecard]) -> String {
        let items = lines.map { line in
            var text = title(line)
            if let candidate = MessageText.cleaned(line.candidateName) {
                text += " with " + SlackMarkdown.escape(candidate, maxLength: nameBudget)
            }
            return text + (line.submitted ? " (submitted)" : " (ended \(SlackMarkdown.utcText(line.endedAt)))")
        }
        return "\(header(lines)): " + items.joined(separator: "; ")
    }

    private static func title(_ line: OutstandingScorecard) -> String {
        SlackMarkdown.escape(MessageText.cleaned(line.interviewTitle) ?? "Interview", maxLength: nameBudget)
    }


}
