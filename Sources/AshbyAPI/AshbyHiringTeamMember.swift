/// One entry of an application's `hiringTeam`: a user and their role on this application
/// (`Recruiter`, `Recruiting Coordinator`, `Hiring Manager`, … a free string).
public struct AshbyHiringTeamMember: Decodable, Sendable, Equatable {
    public var userId: String
    public var firstName: String?
    public var lastName: String?
    public var email: String?
    public var role: String?

    public init(userId: String, firstName: String? = nil, lastName: String? = nil, email: String? = nil, role: String? = nil) {
        self.userId = userId
        self.firstName = firstName
        self.lastName = lastName
        self.email = email
        self.role = role
    }
}
