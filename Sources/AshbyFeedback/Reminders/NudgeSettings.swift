import Foundation

/// When an interviewer whose scorecard is missing is nudged (issue 11): the first nudge
/// `afterMinutes` after the interview ended, then one on each following working day at the first
/// run inside the recipient's working hours, `maxNudges` at most (0 turns nudges off), and never
/// about an interview that ended more than `maxAgeHours` ago, so a first install or a backfill
/// never floods Slack with old interviews.
public struct NudgeSettings: Sendable, Equatable {
    public var afterMinutes: Int
    public var maxNudges: Int
    public var maxAgeHours: Int

    public init(afterMinutes: Int = 60, maxNudges: Int = 3, maxAgeHours: Int = 96) {
        self.afterMinutes = afterMinutes
        self.maxNudges = maxNudges
        self.maxAgeHours = maxAgeHours
    }

    public var isOff: Bool { maxNudges == 0 }

    /// Interviews that ended at or before this instant are too old to be nudged about at `now`.
    func oldestEnd(at now: Date) -> Date {
        now.addingTimeInterval(-Double(maxAgeHours) * 3600)
    }

    /// True when the next nudge for a scorecard is due at `now`, for a recipient in `zone`.
    /// - Parameters:
    ///   - nudgesSoFar: nudges already claimed that listed this (event, interviewer).
    ///   - lastNudgeAt: when the latest nudge that listed it, or counted it without listing it, was
    ///     claimed (the run's clock): either way the reader heard of it that day.
    func isDue(
        endedAt: Date, nudgesSoFar: Int, lastNudgeAt: Date?, zone: TimeZone, workingHours: WorkingHours, now: Date
    ) -> Bool {
        guard nudgesSoFar < maxNudges, endedAt <= now, endedAt > oldestEnd(at: now),
              workingHours.contains(now, in: zone) else { return false }
        guard let lastNudgeAt else {
            return now >= endedAt.addingTimeInterval(Double(afterMinutes) * 60)
        }
        // One a day: a later local day than the last nudge (inside working hours, checked above).
        return workingHours.localDay(of: now, in: zone) > workingHours.localDay(of: lastNudgeAt, in: zone)
    }
}
