import Foundation
import SlackAPI

/// Builds the post-interview nudge, and every later edit of it: one DM about every scorecard the
/// reader still owes, so several outstanding scorecards cost one notification, not one each. It says
/// how many are waiting and lists the oldest (candidate, interview, when it ended, a link to its
/// feedback form) — as many as Slack's limits allow; the others are counted, not listed, and come in
/// later nudges. A line whose scorecard came in is struck through and says so, without its link.
///
/// Ashby text is whitespace-collapsed, escaped and cut to a budget. Which lines fit is decided with
/// each line at its longest (open or submitted), so every edit of a nudge lists the same lines and
/// fits as the post did.
enum NudgeMessage {
    private static let nameBudget = 300
    private static let linkBudget = 1_500
    /// Room kept for the header and the intro, whatever the counts in them.
    private static let frameBlocks = 2, frameText = 300
    /// The notification text lists lines while it stays this short, then says how many more.
    private static let notificationBudget = 1_000

    /// How many of `scorecards`, from the first, one nudge lists: as many as Slack's limits allow.
    static func listable(_ scorecards: [OutstandingScorecard]) -> Int {
        fitting(scorecards).count
    }

    /// The first of `scorecards` that fit in one nudge, rendered.
    private static func fitting(_ scorecards: [OutstandingScorecard]) -> [Rendered] {
        var budget = MessageBudget()
        budget.reserve(blocks: frameBlocks, text: frameText)
        var fitting: [Rendered] = []
        for line in scorecards {
            let rendered = Rendered(line)
            guard budget.take(blocks: 1, text: max(SlackLimits.length(rendered.open), SlackLimits.length(rendered.submitted))) else { break }
            fitting.append(rendered)
        }
        return fitting
    }

    /// The message to post to (or update in) `channel` (the user ID for a post, the DM ID for an
    /// edit): `lines`, oldest first, as many as fit, and `unlisted` more scorecards still waiting
    /// that it counts without listing.
    static func make(_ lines: [OutstandingScorecard], unlisted: Int = 0, channel: String) -> SlackMessage {
        let rendered = fitting(lines)
        let shown = Array(lines.prefix(rendered.count))
        let unlisted = unlisted + lines.dropFirst(shown.count).filter { !$0.submitted }.count
        let waiting = shown.filter { !$0.submitted }.count + unlisted
        var blocks: [Block] = [.header(header(waiting: waiting)), .section(intro(shown, unlisted: unlisted))]
        blocks += zip(shown, rendered).map { line, rendered in .section(line.submitted ? rendered.submitted : rendered.open) }
        return MessageText.message(channel: channel, text: fallbackText(shown, waiting: waiting, unlisted: unlisted), blocks: blocks)
    }

    private static func header(waiting: Int) -> String {
        switch waiting {
        case 0: "Feedback submitted, thank you"
        case 1: "Your feedback is due"
        default: "\(waiting) scorecards are waiting for you"
        }
    }

    private static func intro(_ shown: [OutstandingScorecard], unlisted: Int) -> String {
        let open = shown.filter { !$0.submitted }.count
        if open + unlisted == 0 { return "Every scorecard listed here is in. Thank you!" }
        if unlisted > 0 {
            let stillOpen = open < shown.count ? " (\(open) still open)" : ""
            let rest = unlisted == 1 ? "one more comes in a later nudge" : "the other \(unlisted) come in later nudges"
            return "The \(shown.count) oldest are below\(stillOpen); \(rest)."
        }
        if shown.count == 1 { return "Your scorecard for this interview is still missing:" }
        return "Your scorecards for these interviews are still missing (\(open) of \(shown.count) open):"
    }

    /// A line as the nudge shows it while its scorecard is missing, and once it came in.
    private struct Rendered {
        /// `*System Design* with *Casey Candidate* (Backend Engineer)`, then `Ended … · <link|Open the feedback form>`.
        var open: String
        /// The same struck through, marked submitted.
        var submitted: String

        init(_ line: OutstandingScorecard) {
            var summary = "*\(title(line))*"
            if let candidate = MessageText.cleaned(line.candidateName) {
                summary += " with *\(SlackMarkdown.escape(candidate, maxLength: nameBudget))*"
            }
            if let job = MessageText.cleaned(line.jobTitle) {
                summary += " (\(SlackMarkdown.escape(job, maxLength: nameBudget)))"
            }
            open = summary + "\nEnded " + SlackMarkdown.dateToken(line.endedAt)
            if let link = MessageText.feedbackLink(line.feedbackLink, maxLength: linkBudget) {
                open += " · " + link
            }
            submitted = "~\(summary)~\n:white_check_mark: *Feedback submitted.* Thank you!"
        }
    }

    /// `3 scorecards are waiting for you: System Design with Casey Candidate (ended 2027-01-15 08:00 UTC); …`,
    /// the lines listed while it stays short, then "and N more".
    private static func fallbackText(_ shown: [OutstandingScorecard], waiting: Int, unlisted: Int) -> String {
        var items: [String] = []
        var length = 0
        for line in shown {
            var text = title(line)
            if let candidate = MessageText.cleaned(line.candidateName) {
                text += " with " + SlackMarkdown.escape(candidate, maxLength: nameBudget)
            }
            text += line.submitted ? " (submitted)" : " (ended \(SlackMarkdown.utcText(line.endedAt)))"
            length += SlackLimits.length(text) + 2
            guard length <= notificationBudget else { break }
            items.append(text)
        }
        let more = shown.count - items.count + unlisted
        if more > 0 { items.append("and \(more) more") }
        return "\(header(waiting: waiting)): " + items.joined(separator: "; ")
    }

    private static func title(_ line: OutstandingScorecard) -> String {
        SlackMarkdown.escape(MessageText.cleaned(line.interviewTitle) ?? "Interview", maxLength: nameBudget)
    }
}
