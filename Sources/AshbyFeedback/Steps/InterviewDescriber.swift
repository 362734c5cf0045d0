import AshbyAPI

/// Describes interviews with `interview.info`: those a schedule page references but that were never
/// seen, and placeholders stored when Ashby could not describe one earlier.
struct InterviewDescriber {
    /// Interviews described, and ids Ashby answered it cannot describe (stored as placeholders).
    struct Described {
        var described: [AshbyInterview] = []
        var undescribed: [String] = []
    }

    let context: RunContext

    /// Outages and refused keys are thrown; an API error for one interview leaves it undescribed.
    func describe(_ ids: Set<String>) throws -> Described {
        var result = Described()
        for id in ids.sorted() {
            if let interview = try describe(id) { result.described.append(interview) } else { result.undescribed.append(id) }
        }
        return result
    }

    private func describe(_ id: String) throws -> AshbyInterview? {
        do {
            return try context.ashby.interview(id: id)
        } catch {
            guard case .api = error.kind else { throw error }
            context.logger.warning("interview_unavailable", metadata: ["interview_id": "\(id)", "error": "\(error)"])
            return nil
        }
    }
}
