import Foundation
import SlackAPI

/// The daily digest of overdue feedback for one recruiter or coordinator (or the digest channel):
/// grouped by candidate (name, job, stage), oldest first, each line the interview, the interviewer's
/// *name* (never a mention), how overdue, and the feedback link. Items that cleared since it was posted
/// are struck through by the edit.
///
/// Every string from Ashby is escaped and cut to a budget; at most `groupLimit` candidates and
/// `lineLimit` lines are shown, the rest summed up as "… and N more", so the message stays inside
/// Slack's limits (50 blocks, 3,000 per section) whatever the backlog.
enum DigestMessage {
    static let groupLimit = 20
    static let lineLimit = 60
    private static let nameBudget = 200
    private static let sectionBudget = 2_900

    /// The digest of `items` (in the order they were listed) to post to, or update in, `channel`.
    static func make(items: [DigestItem], cleared: [DigestItemKey: DigestClearance], overdueHours: Int, channel: String) -> SlackMessage {
        let open = items.filter { cleared[$0.key] == nil }.count
        var blocks: [Block] = [.header("Overdue interview feedback")]
        blocks.append(.section(open == 0
            ? "*All cleared.* Every scorecard listed here has come in or is no longer needed."
            : "*\(open) scorecard\(open == 1 ? "" : "s")* more than \(overdueHours) h overdue after the interview:"))
        var shownLines = 0
        var hidden = 0
        for (index, group) in groups(items).enumerated() {
            guard index < groupLimit, shownLines < lineLimit else {
                hidden += group.count
                continue
            }
            var section = heading(group[0])
            for item in group {
                let line = "\n• " + line(item, clearance: cleared[item.key])
                guard shownLines < lineLimit, section.utf16.count + line.utf16.count <= sectionBudget else {
                    hidden += 1
                    continue
                }
                section += line
                shownLines += 1
            }
            blocks.append(.section(section))
        }
        if hidden > 0 { blocks.append(.section("… and \(hidden) more")) }
        let fallback = open == 0
            ? "Overdue interview feedback: all cleared"
            : "Overdue interview feedback: \(open) scorecard\(open == 1 ? "" : "s") more than \(overdueHours) h overdue"
        return SlackMessage(channel: channel, text: fallback, blocksJSON: MessageText.encode(blocks))
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

    /// `Technical Interview — Ian Interviewer — 1 d 2 h overdue — <link|Open feedback form>`, struck when cleared.
    private static func line(_ item: DigestItem, clearance: DigestClearance?) -> String {
        let interview = MessageText.cleaned(item.interviewTitle).map { SlackMarkdown.escape($0, maxLength: nameBudget) } ?? "Interview"
        let interviewer = MessageText.cleaned(item.interviewerName).map { SlackMarkdown.escape($0, maxLength: nameBudget) } ?? "an interviewer"
        let what = "\(interview) — \(interviewer)"
        switch clearance {
        case .submitted: return "~\(what)~ — submitted"
        case .cancelled: return "~\(what)~ — no longer needed"
        case nil:
            var text = "\(what) — \(duration(minutes: item.overdueMinutes)) overdue"
            if let link = item.feedbackLink.flatMap({ SlackMarkdown.link($0, label: "Open feedback form") }), link.utf16.count <= 1_200 {
                text += " — \(link)"
            }
            return text
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
