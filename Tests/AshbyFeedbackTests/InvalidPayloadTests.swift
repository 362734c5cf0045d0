import Foundation
import Testing
@testable import AshbyFeedback

/// The UUID check of Ashby ids: the same verdict as Foundation's parser, lower-cased like PostgreSQL.
@Suite struct InvalidPayloadTests {
    static let candidates = [
        "6f1c2e0a-3b4d-4e5f-8a9b-0c1d2e3f4a5b", "6F1C2E0A-3B4D-4E5F-8A9B-0C1D2E3F4A5B", "6f1c2e0a-3B4d-4e5f-8a9b-0c1d2e3f4a5b",
        "", "not-a-uuid", "6f1c2e0a3b4d4e5f8a9b0c1d2e3f4a5b", "6f1c2e0a-3b4d-4e5f-8a9b-0c1d2e3f4a5", "6f1c2e0a-3b4d-4e5f-8a9b-0c1d2e3f4a5b0",
        "6f1c2e0a-3b4d-4e5f-8a9b_0c1d2e3f4a5b", "6f1c2e0a-3b4d-4e5f-8a9b-0c1d2e3f4a5g", "{6f1c2e0a-3b4d-4e5f-8a9b-0c1d2e3f4a5}",
        "6f1c2e0a-3b4d-4e5f-8a9b-0c1d2e3f4a5ü",
    ]

    @Test(arguments: candidates) func agreesWithFoundation(candidate: String) {
        let checked = try? InvalidPayload.checkedUUID(candidate, "id")
        #expect((checked != nil) == (UUID(uuidString: candidate) != nil))
        if let checked { #expect(checked == candidate.lowercased()) }
    }

    /// Foundation's parser (`sscanf`) lets a space stand in for a leading digit; the byte check does not.
    @Test func whitespaceIsNoDigit() {
        #expect((try? InvalidPayload.checkedUUID(" 6f1c2e0a-3b4d-4e5f-8a9b-0c1d2e3f4a5", "id")) == nil)
        #expect((try? InvalidPayload.checkedUUID("6f1c2e0a-3b4d-4e5f-8a9b- c1d2e3f4a5b", "id")) == nil)
    }

    @Test func theMessageNamesTheFieldNotTheValue() throws {
        #expect(throws: InvalidPayload.self) { try InvalidPayload.checkedUUID("secret-ish", "schedule id") }
        do {
            _ = try InvalidPayload.checkedUUID("secret-ish", "schedule id")
        } catch {
            #expect(error.description == "schedule id is not a UUID")
        }
        #expect(try InvalidPayload.checkedOptionalUUID(nil, "x") == nil)
    }
}
