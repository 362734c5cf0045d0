import SlackAPI

/// The Slack accounts interviewers can be matched to, one per email.
///
/// Bots, app users, Slackbot and accounts without an email are left out; deleted accounts are kept
/// (marked deleted, never messaged). Emails are compared lower-cased; when two accounts share an
/// email the active one wins, then the most recently updated, then the smallest id.
struct SlackDirectory: Sendable {
    struct Entry: Equatable, Sendable {
        var slackUserID: String
        var email: String
        var realName: String?
        var displayName: String?
        var deleted: Bool
        /// The member's time zone (`tz`) and its offset when fetched (`tz_offset`), for working hours.
        var tz: String? = nil
        var tzOffset: Int? = nil

        var timeZone: SlackTimeZone { SlackTimeZone(name: tz, offset: tzOffset) }
    }

    var entries: [Entry]
    /// Members left out: bots, Slackbot, no email.
    var skipped = 0
    /// Accounts that lost their email to another account with the same address.
    var duplicates = 0

    init(members: [SlackMember]) {
        var winners: [String: (entry: Entry, updated: Int)] = [:]
        var skipped = 0
        var duplicates = 0
        for member in members {
            guard !member.isBot, member.isAppUser != true, !member.isSlackbot,
                  let email = member.email?.trimmingCharacters(in: .whitespaces).lowercased(), !email.isEmpty else {
                skipped += 1
                continue
            }
            let entry = Entry(slackUserID: member.id, email: email, realName: member.realName,
                              displayName: member.displayName, deleted: member.deleted,
                              tz: member.tz, tzOffset: member.tzOffset)
            let candidate = (entry: entry, updated: member.updated ?? 0)
            if let current = winners[email] {
                duplicates += 1
                if Self.prefers(candidate, over: current) { winners[email] = candidate }
            } else {
                winners[email] = candidate
            }
        }
        entries = winners.values.map(\.entry).sorted { $0.slackUserID < $1.slackUserID }
        self.skipped = skipped
        self.duplicates = duplicates
    }

    private static func prefers(_ a: (entry: Entry, updated: Int), over b: (entry: Entry, updated: Int)) -> Bool {
        if a.entry.deleted != b.entry.deleted { return !a.entry.deleted }
        if a.updated != b.updated { return a.updated > b.updated }
        return a.entry.slackUserID < b.entry.slackUserID
    }
}
