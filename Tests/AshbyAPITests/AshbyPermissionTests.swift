import AshbyAPI
import Foundation
import TestSupport
import Testing

/// Item 4 of issue 19: `missing_endpoint_permission` is recognised in every body shape seen, with HTTP 403
/// and with HTTP 200 (`success: false`), as the same error.
@Suite(.timeLimit(.minutes(1))) struct AshbyPermissionTests {
    @Test(arguments: PermissionDenial.allCases, [403, 200])
    func everyShapeAndStatusIsAMissingPermission(shape: PermissionDenial, status: Int) async throws {
        let ashby = try await FakeAshby.start()
        defer { Task { await ashby.stop() } }
        ashby.denyPermission(endpoint: "applicationFeedback.list", shape: shape, status: status)
        let error = await #expect(throws: AshbyError.self) {
            try await withAshbyClient(ashby) { client in
                try client.listPage(.applicationFeedback, cursor: nil, syncToken: nil)
            }
        }
        #expect(error?.isMissingPermission == true)
        #expect(error?.code == "missing_endpoint_permission")
        #expect(error?.isTemporary == false)
        #expect(
            error?.description
                == "applicationFeedback.list: the API key lacks the permission for this endpoint "
                + "(HTTP \(status), missing_endpoint_permission)")
    }

    @Test func otherRefusalsAreNoMissingPermission() async throws {
        let ashby = try await FakeAshby.start()
        defer { Task { await ashby.stop() } }
        let wrongKey = await #expect(throws: AshbyError.self) {
            try await withAshbyClient(ashby, apiKey: "wrong") { client in
                try client.listPage(.interviews, cursor: nil, syncToken: nil)
            }
        }
        #expect(wrongKey?.isMissingPermission == false)
        let notFound = await #expect(throws: AshbyError.self) {
            try await withAshbyClient(ashby) { client in try client.candidate(id: AshbyFixtures.id()) }
        }
        #expect(notFound?.isMissingPermission == false)
    }
}
