import AshbyAPI
import Logging

/// Candidate names and job titles for reminder DMs, fetched from Ashby once per application,
/// candidate or job within a run.
///
/// A failed lookup is logged and the DM goes out without that detail: a reminder without the
/// candidate's name is better than none.
final class CandidateLookup {
    struct Details: Sendable, Equatable {
        var candidateName: String?
        var jobTitle: String?
        /// `profileUrl` from `candidate.info`.
        var candidateProfileURL: String?
    }

    private let ashby: AshbyClient
    private let logger: Logger
    private var applications: [String: AshbyApplication?] = [:]
    private var candidates: [String: AshbyCandidate?] = [:]
    private var jobs: [String: AshbyJob?] = [:]

    init(ashby: AshbyClient, logger: Logger) {
        self.ashby = ashby
        self.logger = logger
    }

    func details(applicationID: String?, candidateID: String?, jobID: String?) -> Details {
        let application = applicationID.flatMap { id in cached(&applications, id) { try ashby.application(id: id) } }
        var details = Details(candidateName: application?.candidate.name, jobTitle: application?.job.title)
        if let id = candidateID ?? application?.candidate.id {
            // `candidate.info` carries the profile link, which `application.info` does not.
            let candidate = cached(&candidates, id) { try ashby.candidate(id: id) }
            details.candidateName = details.candidateName ?? candidate?.name
            details.candidateProfileURL = candidate?.profileURL
        }
        if details.jobTitle == nil, let id = jobID ?? application?.job.id {
            details.jobTitle = cached(&jobs, id) { try ashby.job(id: id) }?.title
        }
        return details
    }

    private func cached<Value>(_ cache: inout [String: Value?], _ id: String, _ fetch: () throws -> Value) -> Value? {
        if let hit = cache[id] { return hit }
        do {
            let value = try fetch()
            cache[id] = value
            return value
        } catch {
            logger.warning("lookup_failed", metadata: ["id": "\(id)", "error": "\(error)"])
            cache[id] = .some(nil)
            return nil
        }
    }
}
