import AshbyAPI
import Logging

/// Candidate names and job titles for reminder DMs, fetched from Ashby once per application,
/// candidate or job within a run.
///
/// A DM without the candidate's name is better than a late one: a failed lookup is logged and the DM
/// goes out without that detail, and once Ashby failed with an outage in this run (a transport error,
/// timeout or 5xx, here or in a pull; not a rate limit) no further lookup is tried.
final class CandidateLookup {
    struct Details: Sendable, Equatable {
        var candidateName: String?
        var jobTitle: String?
        /// `profileUrl` from `candidate.info`.
        var candidateProfileURL: String?
        /// `application.info` `status` (`Archived`: rejected or withdrawn); nil when the lookup failed.
        var applicationStatus: String? = nil

        /// The names a DM shows, as its ledger row keeps them.
        var shownNames: MessageLedger.ShownNames {
            MessageLedger.ShownNames(candidateName: candidateName, jobTitle: jobTitle, candidateProfileURL: candidateProfileURL)
        }
    }

    private let ashby: AshbyClient
    private let logger: Logger
    private let conditions: RunConditions
    private var applications: [String: AshbyApplication?] = [:]
    private var candidates: [String: AshbyCandidate?] = [:]
    private var jobs: [String: AshbyJob?] = [:]

    init(ashby: AshbyClient, logger: Logger, conditions: RunConditions) {
        self.ashby = ashby
        self.logger = logger
        self.conditions = conditions
    }

    /// The names in their stored form (`StorableText`): the DM shows what its ledger row keeps, so a
    /// later rendering from the row finds nothing changed.
    func details(applicationID: String?, candidateID: String?, jobID: String?) -> Details {
        let application = applicationID.flatMap(application(id:))
        var details = Details(
            candidateName: StorableText.text(application?.candidate.name), jobTitle: StorableText.text(application?.job.title),
            applicationStatus: application?.status)
        if let id = candidateID ?? application?.candidate.id {
            // `candidate.info` carries the profile link, which `application.info` does not.
            let candidate = cached(&candidates, id) { () throws(AshbyError) in try ashby.candidate(id: id, patience: .oneShortAttempt) }
            details.candidateName = details.candidateName ?? StorableText.text(candidate?.name)
            details.candidateProfileURL = StorableText.text(candidate?.profileURL)
        }
        if details.jobTitle == nil, let id = jobID ?? application?.job.id {
            details.jobTitle = StorableText.text(
                cached(&jobs, id) { () throws(AshbyError) in try ashby.job(id: id, patience: .oneShortAttempt) }?.title)
        }
        return details
    }

    /// `application.info` for `id`, fetched once per run (nil when it failed): also the hiring team and
    /// stage a digest needs.
    func application(id: String) -> AshbyApplication? {
        cached(&applications, id) { () throws(AshbyError) in try ashby.application(id: id, patience: .oneShortAttempt) }
    }

    private func cached<Value>(_ cache: inout [String: Value?], _ id: String, _ fetch: () throws(AshbyError) -> Value) -> Value? {
        if let hit = cache[id] { return hit }
        guard !conditions.ashbyUnreachable else { return nil }
        do {
            let value = try fetch()
            cache[id] = value
            return value
        } catch {
            if error.isOutage { conditions.ashbyUnreachable = true }
            logger.warning("lookup_failed", metadata: [
                "id": "\(id)", "error": "\(error)", "lookups_stopped": .stringConvertible(error.isOutage),
            ])
            cache[id] = .some(nil)
            return nil
        }
    }
}

extension AshbyError {
    /// Ashby is down or unreachable after retries (transport failure, timeout, 5xx), as opposed to
    /// answering that one record cannot be read, or rate limiting: a 429 says "not now", not "down".
    var isOutage: Bool {
        if case .transport = kind { return !isRateLimited }
        return false
    }
}
