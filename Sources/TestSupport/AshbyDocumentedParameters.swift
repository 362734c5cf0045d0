/// The request keys each Ashby endpoint the product calls (and `application.info`, which FakeAshby also
/// serves) documents (reference §1.4, from Ashby's OpenAPI spec; `.info` keys also recorded from real
/// traffic). `FakeAshby` refuses a request carrying
/// any other key with `invalid_input`, so every test that talks to it checks the product's requests.
public enum AshbyDocumentedParameters {
    /// Endpoint → the keys its request body may carry.
    public static let keys: [String: Set<String>] = [
        "interviewSchedule.list": ["createdAfter", "cursor", "syncToken", "limit", "applicationId", "interviewStageId"],
        "interview.list": ["includeArchived", "includeNonSharedInterviews", "cursor", "syncToken", "limit"],
        "feedbackFormDefinition.list": ["includeArchived", "cursor", "syncToken", "limit"],
        "applicationFeedback.list": ["createdAfter", "cursor", "syncToken", "limit", "applicationId"],
        "application.list": ["createdAfter", "cursor", "syncToken", "limit", "status", "jobId", "expand"],
        "application.info": ["applicationId", "submittedFormInstanceId", "expand"],
        "candidate.info": ["id"],
        "interview.info": ["id"],
    ]

    /// The keys of `parameters` that `endpoint` does not document, sorted; every key when the endpoint
    /// is not in the table.
    public static func undocumented(_ parameters: some Collection<String>, endpoint: String) -> [String] {
        let allowed = keys[endpoint] ?? []
        return parameters.filter { !allowed.contains($0) }.sorted()
    }
}
