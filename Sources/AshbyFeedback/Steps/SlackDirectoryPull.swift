import Foundation
import Logging
import SlackAPI

/// The Slack directory (`users.list`, every page), when its cadence says it is due: members matched
/// to interviewers by email, written in one transaction.
struct SlackDirectoryPull: RunStep {
    let name = Resource.slackUsers
    /// A guard against a cursor that never ends (2,000,000 members at 200 a page).
    static let maxPages = 10_000

    func isWanted(in context: RunContext) -> Bool {
        context.slack != nil && context.request.sendReminders && !context.conditions.slackRefused
    }

    func run(in context: RunContext) throws -> RunSummary {
        guard let slack = context.slack else { return RunSummary() }
        let state = context.storedStates[name]
        guard ResourceCadence(minutes: context.configuration.slackUsersRefreshMinutes).isDue(
            lastPass: state?.lastPassAt, now: context.clock.now(), backfill: context.isBackfill)
        else {
            context.logger.info("resource_not_due", metadata: ["resource": "\(name)"])
            return RunSummary()
        }
        let started = ContinuousClock.now
        var members: [SlackMember] = []
        var cursor: String?
        var pages = 0
        repeat {
            guard pages < Self.maxPages else {
                throw Failure(status: .failure, "users.list: Slack kept returning a next cursor after \(Self.maxPages) pages; the directory was not updated")
            }
            context.slackLock.lock()
            let page = try context.refusingSlack { () throws(SlackError) in
                defer { context.slackLock.unlock() }
                return try slack.usersPage(cursor: cursor)
            }
            members += page.members
            cursor = page.nextCursor
            pages += 1
            context.observer?.progress(RunProgress(resource: name, pages: pages, items: members.count))
            if cursor != nil { try context.pageCommitted(resource: name, pages: pages) }
        } while cursor != nil
        let directory = SlackDirectory(members: members)
        if directory.entries.isEmpty, members.contains(where: { !$0.isBot && !$0.isSlackbot && $0.isAppUser != true }) {
            throw Failure(status: .configuration, "users.list returned \(members.count) member(s) but no email address: the Slack app lacks the users:read.email scope (add it and reinstall the app)")
        }
        let written = try context.write { try SlackUserStore(connection: context.connection).upsert(directory.entries) }
        let counts = written.counts
        logFallbackZones(directory, written: written.memberIDs, context: context)
        try SyncStateStore(connection: context.connection).recordPass(
            resource: name, syncToken: nil, wasFullPass: true, now: context.clock.now())
        context.logCounts(name, counts, extra: [
            "endpoint": "users.list", "pages": .int(pages), "members": .int(members.count),
            "skipped": .int(directory.skipped), "duplicate_emails": .int(directory.duplicates),
            "ms": .int(started.duration(to: .now).milliseconds),
        ])
        var summary = RunSummary()
        summary.add(counts, to: name)
        return summary
    }

    /// One line per active member whose zone is not their `tz` name, when their row is written (new, or
    /// changed in Slack): not every run, and not every message, so an hourly directory pull and a
    /// 5-minute cron never repeat it for a member whose Slack entry stays as it is.
    private func logFallbackZones(_ directory: SlackDirectory, written: Set<String>, context: RunContext) {
        for entry in directory.entries where !entry.deleted && written.contains(entry.slackUserID) && entry.timeZone.isFallback {
            let (zone, source) = entry.timeZone.resolved(default: context.configuration.defaultTimeZone)
            var metadata: Logger.Metadata = [
                "slack_user_id": "\(entry.slackUserID)", "zone_from": "\(source.rawValue)",
                "utc_offset_s": .int(zone.secondsFromGMT(for: context.clock.now())),
            ]
            if let name = entry.tz {
                metadata["tz"] = "\(name)"
                context.logger.warning("slack_time_zone_unknown", metadata: metadata.merging([
                    "fix": "this build's zone database lacks it: update the system's tzdata / toolchain",
                ]) { $1 })
            } else {
                context.logger.info("slack_time_zone_missing", metadata: metadata)
            }
        }
    }
}

extension RunContext {
    /// Runs a Slack call; a refused token or scope is remembered so later steps do not call Slack again.
    func refusingSlack<Result>(_ call: () throws(SlackError) -> Result) throws(SlackError) -> Result {
        do {
            return try call()
        } catch {
            if SlackCallOutcome(kind: .read, failure: error).stopsRun { conditions.slackRefused = true }
            throw error
        }
    }
}
