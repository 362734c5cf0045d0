import AshbyAPI
import Foundation

/// Candidates' Ashby profile links, after the applications pass: `candidate.info` for the candidates
/// of interviews starting within `horizon` whose link was never fetched, soonest first, at most
/// `perRun` a run, one after another, stored in `candidate_profiles`. The reminder then shows the
/// link without an Ashby call; a reminder sent before it is fetched gains it by an edit.
///
/// Sequential on purpose: at Ashby's 150 ms a full batch costs about `perRun` × 0.15 s ≈ 4 s, and only in a
/// run that found new candidates (a steady tenant has a handful a day; a no-change run asks nothing).
/// A first install fills the week ahead at `perRun` a run, soonest first, so the interviews about to be
/// reminded come first. A link is nice to have: an answer that says the candidate cannot be read
/// (`candidate_not_found`, an unreadable body) is stored as "none" and not asked again; any other
/// failure (Ashby unreachable, rate-limited, the permission missing) stops the step for this run
/// without failing it, and the next run asks again.
struct CandidateProfilePull: RunStep {
    let name = Resource.candidateProfiles
    /// How far ahead an interview makes its candidate's link worth fetching.
    static let horizon: TimeInterval = 7 * 86_400
    /// `candidate.info` calls a run makes at most.
    static let perRun = 25

    func run(in context: RunContext) throws -> RunSummary {
        let store = CandidateProfileStore(connection: context.connection)
        let now = context.clock.now()
        let missing = try store.missing(from: now, until: now.addingTimeInterval(Self.horizon), limit: Self.perRun)
        guard !missing.isEmpty else { return RunSummary() }
        let started = ContinuousClock.now
        var profiles: [CandidateProfileStore.Profile] = []
        for id in missing where !context.dataBudgetSpent {
            do {
                let candidate = try context.ashby.candidate(id: id)
                profiles.append(.init(candidateID: id, profileURL: StorableText.text(candidate.profileURL)))
            } catch where Self.isAboutTheCandidate(error) {
                context.logger.info("candidate_profile_unavailable", metadata: ["candidate_id": "\(id)", "error": "\(error)"])
                profiles.append(.init(candidateID: id, profileURL: nil))
            } catch {
                context.logger.warning("candidate_profiles_stopped", metadata: [
                    "error": "\(error)", "fetched": .int(profiles.count), "remaining": .int(missing.count - profiles.count),
                    "reason": "the next run asks again; reminders go out without the profile link meanwhile",
                ])
                break
            }
        }
        let counts = try context.write { try store.save(profiles, now: now) }
        context.logCounts(name, counts, extra: [
            "endpoint": "candidate.info", "ms": .int(started.duration(to: .now).milliseconds),
        ])
        var summary = RunSummary()
        summary.add(counts, to: name)
        return summary
    }

    /// Ashby answered about this candidate (not found, or a body that cannot be read): asking again
    /// would get the same answer.
    private static func isAboutTheCandidate(_ error: AshbyError) -> Bool {
        switch error.kind {
        case .api(let code, _, _): code.hasSuffix("_not_found")
        case .malformed: true
        case .unauthorized, .transport: false
        }
    }
}
