/// An Ashby user as nested objects carry it (`scheduledBy`): who they are and how to reach them.
public struct AshbyUser: Decodable, Sendable, Equatable {
    public var id: String
    public var firstName: String?
    public var lastName: String?
    public var email: String?

    public init(id: String, firstName: String? = nil, lastName: String? = nil, email: String? = nil) {
        self.id = id
        self.firstName = firstName
        self.lastName = lastName
        self.email = email
    }
}
