/// An interviewer on an event: an Ashby user plus the event-specific training role and feedback duty.
///
/// `email` is optional in Ashby's user object, so reminders must cope with interviewers without one.
public struct AshbyInterviewer: Decodable, Sendable, Equatable {
    public var id: String
    public var firstName: String?
    public var lastName: String?
    public var email: String?
    /// `Shadow`, `Reverse-Shadow`, … kept as sent.
    public var trainingRole: String?
    public var isFeedbackRequired: Bool?

    public init(
        id: String, firstName: String? = nil, lastName: String? = nil, email: String? = nil,
        trainingRole: String? = nil, isFeedbackRequired: Bool? = nil
    ) {
        self.id = id
        self.firstName = firstName
        self.lastName = lastName
        self.email = email
        self.trainingRole = trainingRole
        self.isFeedbackRequired = isFeedbackRequired
    }
}
