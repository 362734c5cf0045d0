/// One member of an application's hiring team as `applications.hiring_team` keeps it (JSON objects
/// `{"user_id", "email", "name", "role"}`): digests reach the members whose role is in `DIGEST_ROLES`.
struct HiringTeamMember: Codable, Sendable, Equatable {
    var userID: String
    /// Lower-cased, as `slack_users.email`.
    var email: String?
    var name: String?
    var role: String?

    enum CodingKeys: String, CodingKey {
        case userID = "user_id", email, name, role
    }
}
