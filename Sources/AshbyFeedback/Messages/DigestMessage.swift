import Foundation
import SlackAPI

/// The daily digest of overdue feedback for one recruiter or coordinator (or the digest channel):
/// grouped by candidate (name, job, stage), oldest first, each line the interview, the interviewer's
/// *name* (never a mention), how overdue, and a link to the feedback form. Items that cleared since it
/// was posted are struck through by the edit.
///
/// Every string from Ashby is escaped and cut to a budget. Candidates and lines are listed oldest
/// first while Slack's limits allow (`MessageBudget`; a candidate's lines share one section of at most
/// `sectionBudget`), the rest summed up as "… and N more". Which lines fit is decided with each line at
/// its longest (open, submitted or no longer needed), so every edit lists the same lines and fits.
enum DigestMessage {
    private static let nameBudget = 200
    private static let linkBudget = 1_200
    private static let sectionBudget = 2_900
    /// Room kept for the header and the intro, and for the closing "… and N more", whatever their counts.
    private static let frameBlocks = 2, frameText = 300
    private static let moreBlocks = 1, moreText = 40

    /// The digest of `items` (in the order they were listed) to post to, or update in, `channel`.
    static func make(items: [DigestItem], cleared: [DigestItemKey: DigestClearance], overdueHours: Int, channel: String) -> SlackMessage {
        let open = items.filter { cleared[$0.key] == nil }.count
        var blocks: [Block] = [.header("Overdue interview feedback")]
        blocks.append(.section(open == 0
            ? "*All cleared.* Every scorecard listed here has come in or is no longer needed."
            : "*\(open) scorecard\(open == 1 ? "" : "s")* more than \(overdueHours) h overdue after the interview:"))
        var budget = MessageBudget()
        budget.reserve(blocks: frameBlocks + moreBlocks, text: frameText + moreText)
        var shown = 0
        listing: for group in groups(items) {
            let heading = heading(group[0])
            var section = heading
            var cost = SlackLimits.length(heading)
            for (index, item) in group.enumerated() {
                let line = Line(item)
                let longest = [nil, DigestClearance.submitted, .cancelled].map { SlackLimits.length(line.bullet($0)) }.max() ?? 0
                let opens = index == 0
                guard cost + longest <= sectionBudget, budget.take(blocks: opens ? 1 : 0, text: longest + (opens ? cost : 0)) else {
                    if !opens { blocks.append(.section(section)) }
                    break listing
                }
                section += line.bullet(cleared[item.key])
                cost += longest
                shown += 1
            }
            blocks.append(.section(section))
        }
        if shown < items.count { blocks.append(.section("… and \(items.count - shown) more")) }
        let fallback = open == 0
            ? "Overdue interview feedback: all cleared"
            : "Overdue interview feedback: \(open) scorecard\(open == 1 ? "" : "s") more than \(overdueHours) h overdue"
        return MessageText.message(channel: channel, text: fallback, blocks: blocks)
    }

    /// Items by candidate (application), each group and each group's lines oldest first.
    static func groups(_ items: [DigestItem]) -> [[DigestItem]] {
        var order: [String] = []
        var byCandidate: [String: [DigestItem]] = [:]
        for item in items.sorted(by: { ($0.endTime, $0.eventID, $0.interviewerID) < ($1.endTime, $1.eventID, $1.interviewerID) }) {
            let key = item.applicationID ?? "event:\(item.eventID)"
            if byCandidate[key] == nil { order.append(key) }
            byCandidate[key, default: []].append(item)
        }
        return order.compactMap { byCandidate[$0] }
    }

    /// `*Casey Candidate* · Backend Engineer · Technical Screen`
    private static func heading(_ item: DigestItem) -> String {
        let candidate = MessageText.cleaned(item.candidateName).map { SlackMarkdown.escape($0, maxLength: nameBudget) } ?? "Candidate (name unavailable)"
        let rest = [item.jobTitle, item.stageTitle].compactMap(MessageText.cleaned).map { SlackMarkdown.escape($0, maxLength: nameBudget) }
        return (["*\(candidate)*"] + rest).joined(separator: " · ")
    }

    /// One item's line in its candidate's section: `Technical Interview — Ian Interviewer — 1 d 2 h
    /// overdue — <link|Open the feedback form>`, struck when cleared.
    private struct Line {
        /// `Technical Interview — Ian Interviewer`.
        var what: String
        /// `1 d 2 h overdue — <link|Open the feedback form>`.
        var overdue: String

        init(_ item: DigestItem) {
            let interview = MessageText.cleaned(item.interviewTitle).map { SlackMarkdown.escape($0, maxLength: nameBudget) } ?? "Interview"
            let interviewer = MessageText.cleaned(item.interviewerName).map { SlackMarkdown.escape($0, maxLength: nameBudget) } ?? "an interviewer"
            what = "\(interview) — \(interviewer)"
            overdue = "\(duration(minutes: item.overdueMinutes)) overdue"
            if let link = MessageText.feedbackLink(item.feedbackLink, maxLength: linkBudget) {
                overdue += " — " + link
            }
        }

        /// The line as a bullet on a line of its own, as it reads with `clearance`.
        func bullet(_ clearance: DigestClearance?) -> String {
            switch clearance {
            case .submitted: "\n• ~\(what)~ — submitted"
            case .cancelled: "\n• ~\(what)~ — no longer needed"
            case nil: "\n• \(what) — \(overdue)"
            }
        }
    }

    /// `45 min`, `5 h`, `2 d 3 h`.
    static func duration(minutes: Int) -> String {
        let minutes = max(0, minutes)
        if minutes < 60 { return "\(minutes) min" }
        let hours = minutes / 60
        if hours < 24 { return "\(hours) h" }
        return hours % 24 == 0 ? "\(hours / 24) d" : "\(hours / 24) d \(hours % 24) h"
    }

}
