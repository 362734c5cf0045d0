import Foundation

/// Who gets which overdue items, and when (pure): each application's hiring-team members with a
/// digest role (`DIGEST_ROLES`) who are in Slack, and when the known team has none, whoever scheduled
/// the interview. An item whose application is not synced (not yet, or the key lacks `candidatesRead`),
/// so its hiring team is unknown, waits for a run that knows it, rather than going to the scheduler
/// instead of the recruiter. With `DIGEST_CHANNEL` everything goes to that channel instead.
struct DigestAudience {
    /// One digest to send: a Slack member (or the digest channel) and the items it lists, oldest first.
    struct Recipient: Sendable, Equatable {
        var slackID: String
        /// The recipient's Slack time zone; nil for the channel (UTC).
        var timeZone: SlackTimeZone?
        var items: [DigestItem]
    }

    let settings: DigestSettings

    /// The emails whose Slack members could receive the items' digests.
    func candidateEmails(_ overdue: [DigestStore.Overdue]) -> [String] {
        var emails = Set(overdue.compactMap(\.scheduledByEmail))
        for entry in overdue {
            emails.formUnion((entry.hiringTeam ?? []).filter { settings.chases(role: $0.role) }.compactMap(\.email))
        }
        return emails.sorted()
    }

    /// The digests to send, by recipient.
    func recipients(_ overdue: [DigestStore.Overdue], members: [String: DigestStore.Member]) -> [Recipient] {
        if let channel = settings.channel {
            return overdue.isEmpty ? [] : [Recipient(slackID: channel, timeZone: nil, items: overdue.map(\.item))]
        }
        var order: [String] = []
        var byRecipient: [String: Recipient] = [:]
        for entry in overdue {
            let item = entry.item
            var team: [HiringTeamMember] = []
            if item.applicationID != nil {
                guard let known = entry.hiringTeam else { continue }  // team unknown: waits (`waitingForTeam`)
                team = known
            }
            var reached = team.filter { settings.chases(role: $0.role) }.compactMap { $0.email.flatMap { members[$0] } }
            if reached.isEmpty, let scheduler = entry.scheduledByEmail.flatMap({ members[$0] }) {
                reached = [scheduler]
            }
            var seen = Set<String>()
            for member in reached where seen.insert(member.slackUserID).inserted {
                if byRecipient[member.slackUserID] == nil {
                    order.append(member.slackUserID)
                    byRecipient[member.slackUserID] = Recipient(slackID: member.slackUserID, timeZone: member.timeZone, items: [])
                }
                byRecipient[member.slackUserID]?.items.append(item)
            }
        }
        return order.compactMap { byRecipient[$0] }
    }

    /// The applications whose overdue items wait because their hiring team is not known yet (the
    /// application is not synced), sorted; none for the channel, which needs no team.
    func waitingForTeam(_ overdue: [DigestStore.Overdue]) -> [String] {
        guard settings.channel == nil else { return [] }
        return Set(overdue.filter { $0.hiringTeam == nil }.compactMap(\.item.applicationID)).sorted()
    }

    /// The local day ("2026-12-01") whose digest is due at `now` for a recipient in `zone` (UTC for
    /// the channel), or nil when none is: the digest goes out at the first run at or after
    /// `DIGEST_TIME` that is inside working hours on a working day there. So a `DIGEST_TIME` before
    /// the working day means its start, and a digest not sent by the end of the day is not sent late
    /// that evening: the next working morning brings that day's digest instead.
    func dueDay(at now: Date, in zone: TimeZone, workingHours: WorkingHours) -> String? {
        guard let time = settings.timeMinute, workingHours.contains(now, in: zone),
              workingHours.minuteOfDay(now, in: zone) >= time else { return nil }
        return workingHours.localDay(of: now, in: zone)
    }
}
