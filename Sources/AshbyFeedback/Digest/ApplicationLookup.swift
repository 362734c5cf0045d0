import AshbyAPI
import Foundation

/// What `application.info` says about one application, as far as a digest needs it, kept in
/// `application_lookups` so a run every 5 minutes does not ask Ashby again.
struct ApplicationLookup: Sendable, Equatable {
    /// One hiring-team member as stored (`hiring_team` JSON).
    struct TeamMember: Codable, Sendable, Equatable {
        var userID: String
        var email: String?
        var name: String?
        var role: String?

        enum CodingKeys: String, CodingKey {
            case userID = "user_id", email, name, role
        }
    }

    var applicationID: String
    var candidateName: String?
    var jobID: String?
    var jobTitle: String?
    var stageTitle: String?
    var hiringTeam: [TeamMember]

    init(applicationID: String, candidateName: String?, jobID: String?, jobTitle: String?, stageTitle: String?, hiringTeam: [TeamMember]) {
        self.applicationID = applicationID
        self.candidateName = candidateName
        self.jobID = jobID
        self.jobTitle = jobTitle
        self.stageTitle = stageTitle
        self.hiringTeam = hiringTeam
    }

    /// The stored form of a fetched application (text cleaned; a non-UUID job id is dropped).
    init(_ application: AshbyApplication) {
        self.init(
            applicationID: application.id,
            candidateName: StorableText.text(application.candidate.name),
            jobID: try? InvalidPayload.checkedUUID(application.job.id, "job"),
            jobTitle: StorableText.text(application.job.title),
            stageTitle: StorableText.text(application.stageTitle),
            hiringTeam: application.hiringTeam.map { member in
                let name = [member.firstName, member.lastName].compactMap { StorableText.text($0) }.joined(separator: " ")
                return TeamMember(
                    userID: StorableText.text(member.userId) ?? "", email: StorableText.text(member.email)?.lowercased(),
                    name: name.isEmpty ? nil : name, role: StorableText.text(member.role))
            })
    }
}
