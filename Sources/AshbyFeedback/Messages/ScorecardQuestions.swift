import Foundation

/// The questions of a synced feedback form (`feedback_form_definitions.definition`, Ashby's
/// `formDefinition`), one line per section: `Assessment: Overall Recommendation · Notes`.
///
/// A definition that is missing or shaped unexpectedly gives no lines: the DM goes out without them.
enum ScorecardQuestions {
    static func lines(fromDefinition json: String?) -> [String] {
        guard let data = json?.data(using: .utf8),
            let definition = try? JSONDecoder().decode(Definition.self, from: data)
        else { return [] }
        return (definition.sections ?? []).compactMap { section in
            let fields = (section.fields ?? []).compactMap { $0.field?.title?.trimmingCharacters(in: .whitespacesAndNewlines) }
                .filter { !$0.isEmpty }
            let title = section.title?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
            guard !fields.isEmpty else { return title.isEmpty ? nil : title }
            let joined = fields.joined(separator: " · ")
            return title.isEmpty ? joined : "\(title): \(joined)"
        }
    }

    /// The parts of Ashby's `formDefinition` read here; every key optional.
    private struct Definition: Decodable {
        var sections: [Section]?

        struct Section: Decodable {
            var title: String?
            var fields: [FieldEntry]?
        }

        struct FieldEntry: Decodable {
            var field: Field?
        }

        struct Field: Decodable {
            var title: String?
        }
    }
}
